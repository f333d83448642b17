"""The registry service —
资质证书: certificates, their number, level, 专业范围, validity, changes, replacement, cancellation.

This slice runs the service with its own database, migrations, health and OpenAPI; its
domain arrives with its issue.
"""
