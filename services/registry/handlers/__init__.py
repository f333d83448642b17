"""The registry's use cases: one module per concern, each function one transaction."""
