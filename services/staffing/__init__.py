"""The staffing service —
技术人员、仪器设备、业绩: staff, equipment, project record, cross-unit conflicts, legacy import.

This slice runs the service with its own database, migrations, health and OpenAPI; its
domain arrives with its issue.
"""
