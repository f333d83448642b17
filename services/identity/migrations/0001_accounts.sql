-- Identity: units (法人单位), their accounts (用户账户) and the login audit (manual 3.1, 3.3).
-- Unique constraints decide registration races: INSERT … ON CONFLICT DO NOTHING RETURNING.
CREATE TABLE units (
    id           uuid PRIMARY KEY,
    name         text NOT NULL,
    name_key     text NOT NULL CONSTRAINT units_name_key_unique UNIQUE,  -- NFKC, no spaces, casefolded
    credit_code  text NOT NULL CONSTRAINT units_credit_code_unique UNIQUE,
    contact_name text NOT NULL,
    mobile       text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
    id            uuid PRIMARY KEY,
    username      text NOT NULL,
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('unit', 'authority', 'admin')),
    unit_id       uuid REFERENCES units (id),
    jurisdiction  text,
    failed_logins integer NOT NULL DEFAULT 0,
    locked_until  timestamptz,
    last_login_at timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT accounts_unit_role CHECK ((role = 'unit') = (unit_id IS NOT NULL))
);
CREATE UNIQUE INDEX accounts_username_unique ON accounts (lower(username));
CREATE INDEX accounts_unit ON accounts (unit_id);

CREATE TABLE login_audit (
    id         bigserial PRIMARY KEY,
    account_id uuid REFERENCES accounts (id),
    username   text NOT NULL,
    client_ip  text NOT NULL DEFAULT '',
    success    boolean NOT NULL,
    reason     text NOT NULL,
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX login_audit_account ON login_audit (account_id, at DESC);
