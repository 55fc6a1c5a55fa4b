"""Plotly figures, with every data string escaped for plotly's HTML subset."""
