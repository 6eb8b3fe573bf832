"""The author preview: `skillprobe preview FILE` (see docs/tui.md)."""
