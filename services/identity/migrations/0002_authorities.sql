-- Authority accounts (主管部门账户), the administrator, and the unit particulars an approval sets
-- (issue 10). Units never hold authority roles or a jurisdiction: the CHECKs decide it, not code.
-- A CHECK passes on NULL, so each condition on a nullable column is coalesced to false.
ALTER TABLE accounts
    ADD COLUMN roles       text[] NOT NULL DEFAULT '{}',  -- acceptance 受理 | review 审查 | approval 审批
    ADD COLUMN org_name    text,                          -- 机关名称 of an authority account
    ADD COLUMN disabled_at timestamptz,                   -- 停用: no login, no session
    ADD CONSTRAINT accounts_roles_known
        CHECK (roles <@ ARRAY['acceptance', 'review', 'approval']::text[] AND array_position(roles, NULL) IS NULL),
    ADD CONSTRAINT accounts_unit_holds_no_authority
        CHECK (role <> 'unit' OR (cardinality(roles) = 0 AND jurisdiction IS NULL)),
    ADD CONSTRAINT accounts_authority_scope
        CHECK (role <> 'authority'
               OR coalesce(jurisdiction ~ '^[0-9]{6}$' AND cardinality(roles) > 0 AND btrim(org_name) <> '', false)),
    ADD CONSTRAINT accounts_admin_scope
        CHECK (role <> 'admin' OR coalesce(jurisdiction ~ '^[0-9]{6}$', false));
CREATE INDEX accounts_authorities ON accounts (created_at DESC, id) WHERE role IN ('authority', 'admin');

ALTER TABLE units
    ADD COLUMN registered_address      text,         -- 注册地址
    ADD COLUMN legal_representative    text,         -- 法定代表人
    ADD COLUMN verified_at             timestamptz,  -- 新单位注册 approved
    ADD COLUMN verified_by_application uuid;

-- Who created or disabled which account (系统管理), append-only by use.
CREATE TABLE account_audit (
    id         bigserial PRIMARY KEY,
    account_id uuid NOT NULL REFERENCES accounts (id),
    action     text NOT NULL CHECK (action IN ('created', 'disabled')),
    actor      text NOT NULL,  -- the administrator's account id, or 'cli' for the command line
    at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_audit_account ON account_audit (account_id, at);
