-- Baseline of the registry database: the kernel tables (outbox, inbox, idempotency_keys) are
-- applied before this file; the service's own tables arrive with its first capability.
SELECT 1;
