-- 复审换证: the certificate that replaced an old one (CertificateReplaced.replaced_by). A 专业类别
-- at its 等级 that the new certificate carries again is held from the day the old one carried it
-- (乙级满2年 does not start over because the certificate was exchanged).
ALTER TABLE held_certificates ADD COLUMN replaced_by text;
CREATE INDEX held_certificates_replaced_by ON held_certificates (replaced_by) WHERE replaced_by IS NOT NULL;
