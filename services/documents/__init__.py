"""The documents service —
材料附件: uploaded files (≤ 2 MB, jpg/png/pdf) in object storage, frozen on submission.

This slice runs the service with its own database, migrations, health and OpenAPI; its
domain arrives with its issue.
"""
