"""Registers in: the schema, reading and validating files, the cross-register rules, the demo generator."""
