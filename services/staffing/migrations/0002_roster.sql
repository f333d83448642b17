-- The roster: 技术人员 (persons), 技术装备 (equipment), 测绘业绩 (projects), their attached
-- documents, the replicas staffing keeps of other services' facts, snapshots, releases and the
-- 老人老办法 export.

-- Replica of identity's units (UnitAccountRegistered v1/v2): the holder's name in a conflict,
-- the credit code that finds legacy staff, the province whose authority may release.
CREATE TABLE units (
    unit_id      text PRIMARY KEY,
    unit_name    text NOT NULL,
    credit_code  text NOT NULL,
    jurisdiction text NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX units_credit_code ON units (credit_code);

-- Replica of documents' documents (DocumentStored / DocumentDeleted, and what staffing verified
-- through the documents API when a document was attached before its event arrived).
CREATE TABLE known_documents (
    document_id uuid PRIMARY KEY,
    unit_id     text NOT NULL,
    purpose     text NOT NULL,
    deleted     boolean NOT NULL DEFAULT false
);

-- 证件号码: AES-GCM ciphertext (nonce || ciphertext+tag) under STAFFING_DATA_KEY; the unique
-- constraint is on the HMAC-SHA256 of (证件类型, number) under STAFFING_HASH_KEY, never the number.
CREATE TABLE persons (
    id                uuid PRIMARY KEY,
    unit_id           text NOT NULL,
    name              text NOT NULL,
    id_type           text NOT NULL,
    id_number_enc     bytea NOT NULL,
    id_number_hash    bytea NOT NULL,
    id_number_masked  text NOT NULL,
    category          text NOT NULL,
    gender            text,
    birth_date        date,
    title_level       text,
    title_name        text,
    major             text,
    education         text,
    school            text,
    retired           boolean NOT NULL DEFAULT false,
    hired_on          date,
    substitute_reason text,
    source            text NOT NULL DEFAULT '填报',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT persons_one_unit UNIQUE (id_number_hash)
);
CREATE INDEX persons_unit ON persons (unit_id, created_at, id);

-- 出厂编号 normalised (trim, NFKC, upper case); one unit holds a (设备类型, 出厂编号) at a time.
CREATE TABLE equipment (
    id                      uuid PRIMARY KEY,
    unit_id                 text NOT NULL,
    type                    text NOT NULL,
    brand                   text NOT NULL,
    model                   text NOT NULL,
    serial                  text NOT NULL,
    purchased_on            date NOT NULL,
    calibration_valid_until date,
    created_at              timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT equipment_one_unit UNIQUE (type, serial)
);
CREATE INDEX equipment_unit ON equipment (unit_id, created_at, id);

CREATE TABLE projects (
    id           uuid PRIMARY KEY,
    unit_id      text NOT NULL,
    name         text NOT NULL,
    category     text NOT NULL,
    amount_wan   numeric(12, 2) NOT NULL CHECK (amount_wan > 0),
    client       text NOT NULL,
    signed_on    date NOT NULL,
    completed_on date NOT NULL CHECK (completed_on >= signed_on),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX projects_unit ON projects (unit_id, created_at, id);

-- Documents attached to a person, an instrument or a project (owner ids are UUIDs of one space).
-- usable: the document is known and not deleted. Written with the attachment from known_documents
-- (under a lock on its row) and turned false by the DocumentDeleted consumer, so lists and counts
-- read it without joining known_documents; the key includes it, so they read an owner's
-- attachments from the index alone, in order.
CREATE TABLE attachments (
    owner_id    uuid NOT NULL,
    purpose     text NOT NULL,
    document_id uuid NOT NULL,
    usable      boolean NOT NULL DEFAULT true,
    PRIMARY KEY (owner_id, purpose, document_id) INCLUDE (usable)
);
CREATE INDEX attachments_document ON attachments (document_id);

-- Replica of the certificates each unit holds (the registry's Certificate* events).
CREATE TABLE held_qualifications (
    unit_id  text NOT NULL,
    category text NOT NULL,
    level    text NOT NULL,
    since    date NOT NULL,
    PRIMARY KEY (unit_id, category, level)
);

-- A roster frozen for an application revision; content is AES-GCM encrypted JSON (it holds
-- full ID numbers). official_at: the approved snapshot that became the unit's official roster.
CREATE TABLE snapshots (
    id             uuid PRIMARY KEY,
    unit_id        text NOT NULL,
    application_id text NOT NULL,
    revision       integer NOT NULL,
    jurisdiction   text NOT NULL,
    taken_on       date NOT NULL,
    content        bytea NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    official_at    timestamptz,
    CONSTRAINT snapshots_revision UNIQUE (application_id, revision)
);
CREATE INDEX snapshots_unit ON snapshots (unit_id, created_at);

-- 协调: a person or instrument an authority released from the holding unit.
CREATE TABLE releases (
    id           uuid PRIMARY KEY,
    kind         text NOT NULL CHECK (kind IN ('person', 'equipment')),
    subject_id   uuid NOT NULL,
    unit_id      text NOT NULL,
    subject      text NOT NULL,
    reason       text NOT NULL,
    released_by  text NOT NULL,
    jurisdiction text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX releases_unit ON releases (unit_id, created_at);
CREATE INDEX releases_jurisdiction ON releases (jurisdiction, created_at);

-- The old system's staff export (老人老办法), loaded by COPY; persons are transferred from it.
CREATE TABLE legacy_loads (
    id         uuid PRIMARY KEY,
    filename   text NOT NULL,
    loaded_by  text NOT NULL,
    rows       integer NOT NULL,
    accepted   integer NOT NULL,
    rejected   integer NOT NULL,
    report     bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE legacy_persons (
    id               uuid PRIMARY KEY,
    load_id          uuid NOT NULL,
    line             integer NOT NULL,
    credit_code      text NOT NULL,
    name             text NOT NULL,
    id_type          text NOT NULL,
    id_number_enc    bytea NOT NULL,
    id_number_hash   bytea NOT NULL,
    id_number_masked text NOT NULL,
    gender           text,
    birth_date       date,
    category         text NOT NULL,
    title_level      text,
    title_name       text,
    major            text,
    education        text,
    school           text,
    retired          boolean NOT NULL DEFAULT false,
    transferred_at   timestamptz
);
CREATE INDEX legacy_persons_credit_code ON legacy_persons (credit_code);
