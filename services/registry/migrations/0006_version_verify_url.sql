-- Each version's 电子证书 records the verification address its QR code carries (issue 18: the
-- address used to be a default that pointed nowhere). Versions signed before are left NULL: the
-- address they carry is not known here, and they are not re-signed (README, design notes).
ALTER TABLE certificate_versions ADD COLUMN verify_url text;
