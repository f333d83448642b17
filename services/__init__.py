"""The platform's six services and the kernel they share (services/kernel)."""
