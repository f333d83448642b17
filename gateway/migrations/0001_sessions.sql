-- Portal sessions. The cookie carries a random 32-byte id; only its SHA-256 is stored here.
-- A row ends at logout or revocation (deleted), after the idle limit (last_seen_at) or at the
-- absolute limit (expires_at); expired rows are purged by the gateway.
CREATE TABLE sessions (
    id_hash       bytea PRIMARY KEY CHECK (octet_length(id_hash) = 32),
    account_id    text NOT NULL,
    role          text NOT NULL,
    username      text NOT NULL,
    unit_id       text,
    unit_name     text,
    jurisdiction  text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
