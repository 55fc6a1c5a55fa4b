"""The offline Leaflet map: its data, layers, basemaps and coordinate conversion."""
