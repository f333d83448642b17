-- The registry's certificates as staffing needs them for 满足情况 (乙级满2年), fed by the
-- Certificate* events. Replaces held_qualifications, which nothing ever filled.
--
-- Kept per certificate, keyed by its number, with the holder's credit code always and its unit
-- id once known: an old-regime certificate may be loaded before its unit registers, and is
-- linked to the unit later (CertificateLinked), or found through the unit's credit code once
-- identity has verified the unit (UnitVerified). ended_on: 已注销, 已换证 or 已过期 from then on
-- (the row stays, so a redelivered earlier event cannot bring it back).
DROP TABLE held_qualifications;

CREATE TABLE held_certificates (
    number      text PRIMARY KEY,
    credit_code text NOT NULL,
    unit_id     text,
    regime      text NOT NULL,
    valid_until date NOT NULL,
    version     integer NOT NULL,
    ended_on    date
);
CREATE INDEX held_certificates_unit ON held_certificates (unit_id) WHERE ended_on IS NULL;
CREATE INDEX held_certificates_credit_code ON held_certificates (credit_code) WHERE ended_on IS NULL;

-- Each 专业类别 at its 等级 on the certificate's current version, as written on it (an
-- old-regime name stays old: the transition data maps it when it is read), and the day from
-- which the certificate has carried it: 发证, or the 专业范围变更 that added it.
CREATE TABLE held_levels (
    number   text NOT NULL REFERENCES held_certificates ON DELETE CASCADE,
    category text NOT NULL,
    level    text NOT NULL,
    since    date NOT NULL,
    PRIMARY KEY (number, category, level)
);

-- UnitVerified: a verified unit's credit code finds the certificates not linked to it yet.
ALTER TABLE units ADD COLUMN verified boolean NOT NULL DEFAULT false;
