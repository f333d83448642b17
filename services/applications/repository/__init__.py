"""SQL of the applications service, one module per table group: works, pages, replicas."""
