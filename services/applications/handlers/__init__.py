"""Use cases of the applications service: one module per resource, called by the thin controllers."""
