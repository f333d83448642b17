"""Staffing's SQL, one module per table group; each class takes the connection it runs on."""
