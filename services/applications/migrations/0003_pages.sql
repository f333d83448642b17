-- Pages (信息填报) and the replicas eligibility is decided on.

-- What the unit saved on each page of a work: field values and, per 材料类型, document ids.
-- A roster page (技术人员, 技术装备, 测绘业绩) is saved with empty values once the unit confirmed it.
CREATE TABLE application_pages (
    application_id uuid NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    page_key       text NOT NULL,
    field_values   jsonb NOT NULL DEFAULT '{}',
    documents      jsonb NOT NULL DEFAULT '{}',
    saved_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (application_id, page_key)
);

-- Units (replica of identity's UnitAccountRegisteredV2 and UnitVerified, completed by this
-- service's own approved 新单位注册 and 基本信息变更: the address and legal representative).
CREATE TABLE units (
    unit_id              uuid PRIMARY KEY,
    unit_name            text NOT NULL,
    credit_code          text NOT NULL,
    verified             boolean NOT NULL DEFAULT false,
    registered_address   text,
    legal_representative text,
    updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX units_credit_code ON units (credit_code);

-- Certificates (replica of the registry's events). A legacy (old-regime) certificate may have no
-- unit_id: it is matched to a unit by credit_code. status: valid 有效 | changed rows stay valid |
-- replaced 已换证 | cancelled 已注销 | expired 已过期. certificate_version orders Issued/Changed.
CREATE TABLE certificates (
    number              text PRIMARY KEY,
    certificate_id      text NOT NULL,
    unit_id             uuid,
    credit_code         text NOT NULL,
    certificate_type    text NOT NULL,
    level               text NOT NULL DEFAULT '',
    regime              text NOT NULL DEFAULT '2021' CHECK (regime IN ('2021', 'legacy')),
    categories          jsonb NOT NULL DEFAULT '[]',
    status              text NOT NULL DEFAULT 'valid'
        CHECK (status IN ('valid', 'replaced', 'cancelled', 'expired')),
    valid_until         date,
    certificate_version integer NOT NULL DEFAULT 1,
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX certificates_unit ON certificates (unit_id) WHERE unit_id IS NOT NULL;
CREATE INDEX certificates_credit_code ON certificates (credit_code);
