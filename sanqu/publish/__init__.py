"""Registers in through the browser or the command line: check, preview, publish, history, roll back."""
