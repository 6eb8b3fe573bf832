"""The service API: what the CLI and the TUI call. Sessions and the ORM stay behind it."""
