"""Widgets shared by several screens (and by the author preview app)."""
