"""Indicators, coverage, the overview's KPIs and rankings: figures any page can ask for."""
