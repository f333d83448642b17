"""Registry contracts: its HTTP API (api.py) and the events it emits (events.py)."""
