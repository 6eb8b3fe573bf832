"""Reading and writing the data files skillprobe exchanges with other tools (CSV)."""
