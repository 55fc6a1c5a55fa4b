"""sanqu: the three-zones (三区) Party-building dashboard for Ji'an."""
