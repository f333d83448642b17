-- Applications: the work (工作) a unit files, its pages, and the replicas it decides eligibility on.
-- The 审批记录, the workflow's claim and deadline columns and the holiday calendar are in 0003.

-- 工作: one row per piece of work. state (English code; the API adds the Chinese label):
--   draft 填报中 → submitted 已提交 → accepted 已受理(审查中) → approved 已批准 | refused 不予批准;
--   submitted → returned 退回补齐 (editable again, then submitted) | withdrawn 已撤回.
-- version: optimistic concurrency, +1 on every change; revision: 0 at the first 提交, +1 after
-- each 退回补齐 (the staffing snapshot and the document freeze are per revision).
CREATE TABLE applications (
    id                 uuid PRIMARY KEY,
    unit_id            uuid NOT NULL,
    credit_code        text NOT NULL,
    unit_name          text NOT NULL,
    application_type   text NOT NULL,
    certificate_type   text NOT NULL,
    jurisdiction       text NOT NULL,
    state              text NOT NULL DEFAULT 'draft'
        CHECK (state IN ('draft', 'submitted', 'returned', 'accepted', 'approved', 'refused', 'withdrawn')),
    version            integer NOT NULL DEFAULT 1,
    revision           integer NOT NULL DEFAULT -1,
    certificate_number text,
    levels             jsonb NOT NULL DEFAULT '[]',   -- requested [{category, level, sub_items}] (专业范围)
    snapshot_id        uuid,
    evaluation         jsonb,                         -- the standards' Evaluation at the last 提交
    evaluation_overall text,
    submitted_at       timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT applications_jurisdiction CHECK (jurisdiction ~ '^[0-9]{6}$')
);
-- One piece of work in progress per unit (manual 4.1): the index decides, not a check-then-insert.
CREATE UNIQUE INDEX applications_one_in_progress ON applications (unit_id)
    WHERE state IN ('draft', 'submitted', 'returned', 'accepted');
CREATE INDEX applications_unit ON applications (unit_id, created_at DESC);
CREATE INDEX applications_queue ON applications (jurisdiction, state, submitted_at);
