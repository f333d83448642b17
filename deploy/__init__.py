"""Deployment: the embedded local stack (deploy/local), container image and Kubernetes manifests."""
