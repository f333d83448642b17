"""Applications' contracts: the events it emits (events.py); its HTTP API arrives with its issue."""
