"""One module per screen; each screen's styles live in a .tcss file next to it."""
