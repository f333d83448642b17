-- 提交 retried after a failure: each attempt takes the next revision for the staffing snapshot and
-- the document freeze (both idempotent per (application, revision)), so a retry after the unit
-- changed its documents or roster freezes what it submits now instead of meeting the earlier
-- attempt's freeze (documents' 409 freeze_mismatch) or its stale snapshot. attempted_revision is
-- the last revision an attempt took; revision may skip the numbers of failed attempts.
ALTER TABLE applications ADD COLUMN attempted_revision integer NOT NULL DEFAULT -1;
