-- Documents (材料附件): uploaded files, the freezes of submitted applications, per-unit usage.
-- The bytes live in the store under the document id; a row is written only after its object.
CREATE TABLE documents (
    id           uuid PRIMARY KEY,
    unit_id      text NOT NULL,
    purpose      text NOT NULL,
    filename     text NOT NULL,                    -- the original name, for display only
    content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'application/pdf')),
    size         bigint NOT NULL CHECK (size > 0),
    sha256       text NOT NULL,
    created_at   timestamptz NOT NULL,
    frozen_at    timestamptz,                      -- first frozen by a submitted application
    deleted_at   timestamptz,                      -- deleted by the unit (never once frozen)
    purged_at    timestamptz,                      -- its bytes removed after the retention
    CONSTRAINT documents_frozen_never_deleted CHECK (frozen_at IS NULL OR deleted_at IS NULL)
);
CREATE INDEX documents_of_unit ON documents (unit_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX documents_to_purge ON documents (deleted_at) WHERE deleted_at IS NOT NULL AND purged_at IS NULL;

CREATE TABLE freezes (
    application_id text NOT NULL,
    revision       integer NOT NULL,
    unit_id        text NOT NULL,
    jurisdiction   text NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (application_id, revision)
);

CREATE TABLE frozen_documents (
    application_id text NOT NULL,
    revision       integer NOT NULL,
    document_id    uuid NOT NULL REFERENCES documents (id),
    position       integer NOT NULL,
    PRIMARY KEY (application_id, revision, document_id),
    FOREIGN KEY (application_id, revision) REFERENCES freezes (application_id, revision)
);
CREATE INDEX frozen_documents_by_document ON frozen_documents (document_id);

-- What a unit's stored (not deleted) documents add up to; updated in the same transaction as
-- the row, with the quota in the UPDATE's condition, so two uploads never both pass it.
CREATE TABLE unit_usage (
    unit_id text PRIMARY KEY,
    bytes   bigint NOT NULL CHECK (bytes >= 0)
);

-- An object being written: recorded (committed) before the object is written, removed in the
-- transaction that adds its document. One left behind (a crash or a failed commit) names an
-- object the orphan sweeper deletes; the sweeper never touches an object it has no record of,
-- so a store shared by mistake with another database loses nothing.
CREATE TABLE pending_objects (
    key        uuid PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pending_objects_by_age ON pending_objects (created_at);
