"""The registry's SQL: certificates and versions, counters, approvals applied, parked changes, reads."""
