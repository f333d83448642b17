"""The applications service —
申请与审批 (工作): applications, pages, attachments, the review workflow and its 审批记录.

This slice runs the service with its own database, migrations, health and OpenAPI; its
domain arrives with its issue.
"""
