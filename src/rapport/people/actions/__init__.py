"""The only writers of the people app, one module per area (actions/<area>.py)."""
