"""Staffing's use cases, one module per concept; each opens one unit of work."""
