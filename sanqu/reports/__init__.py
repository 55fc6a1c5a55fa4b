"""Outputs: the big screen, the briefing PDF, Excel exports."""
