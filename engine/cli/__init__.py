"""The `skillprobe` command line: a thin shell over the engine's service API."""
