-- The certificate register (证书登记): certificates, their versions (each with its signed 电子证书),
-- the number counters, the approvals already applied, and changes parked until their certificate
-- is issued.

-- 证书编号 counters: one row per (等级 prefix, province), locked FOR UPDATE by the issuing
-- transaction, so concurrent approvals get distinct consecutive numbers and none is reused.
CREATE TABLE number_counters (
    prefix     text    NOT NULL CHECK (prefix IN ('甲测资字', '乙测资字')),
    province   char(2) NOT NULL CHECK (province ~ '^[0-9]{2}$'),
    next_value integer NOT NULL DEFAULT 1 CHECK (next_value BETWEEN 1 AND 1000000),
    PRIMARY KEY (prefix, province)
);

CREATE TABLE certificates (
    id                    uuid PRIMARY KEY,
    number                text NOT NULL UNIQUE,
    certificate_type      text NOT NULL,
    level                 text NOT NULL,
    regime                text NOT NULL CHECK (regime IN ('2021', 'legacy')),
    unit_id               text,
    credit_code           text NOT NULL,
    unit_name             text NOT NULL,
    registered_address    text NOT NULL DEFAULT '',
    legal_representative  text NOT NULL DEFAULT '',
    issuing_jurisdiction  text NOT NULL,
    authority_name        text NOT NULL,
    categories            jsonb NOT NULL DEFAULT '[]'::jsonb,
    issued_on             date NOT NULL,
    valid_until           date NOT NULL,
    status                text NOT NULL DEFAULT '有效' CHECK (status IN ('有效', '已注销', '已过期', '已换证')),
    cancelled_on          date,
    cancel_reason         text,
    replaced_by           text,
    current_version       integer NOT NULL DEFAULT 1,
    application_id        text
);
CREATE INDEX certificates_unit ON certificates (unit_id);
CREATE INDEX certificates_credit_code ON certificates (credit_code);
CREATE INDEX certificates_jurisdiction ON certificates (issuing_jurisdiction text_pattern_ops);
CREATE INDEX certificates_valid_until ON certificates (valid_until) WHERE status = '有效';
CREATE INDEX certificates_categories ON certificates USING gin (categories jsonb_path_ops);

-- Every version of a certificate: 发证, 换发 (基本信息变更), 专业范围变更, 补发 (补领证书). The
-- printed particulars are kept per version; a 补发 copy voids the previous copy's document.
CREATE TABLE certificate_versions (
    certificate_id  uuid NOT NULL REFERENCES certificates (id),
    version         integer NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('发证', '换发', '专业范围变更', '补发')),
    categories      jsonb NOT NULL,
    particulars     jsonb NOT NULL,
    issued_on       date NOT NULL,
    pdf             bytea,
    pdf_sha256      text,
    void            boolean NOT NULL DEFAULT false,
    application_id  text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (certificate_id, version)
);
CREATE INDEX certificate_versions_without_pdf ON certificate_versions (created_at) WHERE pdf IS NULL;

-- An ApplicationApproved applied once: a redelivered or re-published approval has no second effect.
CREATE TABLE applied_approvals (
    application_id text PRIMARY KEY,
    applied_at     timestamptz NOT NULL DEFAULT now()
);

-- A change (基本信息变更, 专业范围变更, 补领证书, 资质注销) for a certificate not yet in the
-- register: parked with its event and replayed once the certificate is issued or loaded.
CREATE TABLE pending_changes (
    application_id   text PRIMARY KEY,
    number           text,
    unit_id          text NOT NULL,
    certificate_type text NOT NULL,
    event            bytea NOT NULL,
    parked_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pending_changes_number ON pending_changes (number);
CREATE INDEX pending_changes_unit ON pending_changes (unit_id, certificate_type);
