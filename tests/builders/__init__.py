"""Test data builders, one module per service."""
