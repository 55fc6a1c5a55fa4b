"""Demonstration sites (示范点) and the long-term mechanisms (长效机制)."""
