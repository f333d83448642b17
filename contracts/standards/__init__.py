"""Contracts of the standards service: evaluation against the 测绘资质分类分级标准 (HTTP API only)."""
