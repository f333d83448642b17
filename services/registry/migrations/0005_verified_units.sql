-- Units identity has verified (UnitVerified: 新单位注册 approved), by credit code: an old-regime
-- certificate loaded without a unit id is linked to its unit by them, when the unit is verified
-- (the UnitVerified consumer) or at load time when it already was (the legacy load).
CREATE TABLE verified_units (
    unit_id     text PRIMARY KEY,
    credit_code text NOT NULL
);
CREATE INDEX verified_units_credit_code ON verified_units (credit_code);
