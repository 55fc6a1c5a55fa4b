"""The three zones (三区) in depth: industrial parks, urban and rural communities, scenic sites."""
