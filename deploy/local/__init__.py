"""The embedded stack: real PostgreSQL (pgserver wheel) and nats-server, then every service."""
