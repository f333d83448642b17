-- Only a 2021 certificate's versions get a signed 电子证书; an old-regime (旧证) version loaded
-- from the old system never does. The PDF job used to walk every version without a PDF — after a
-- legacy load, 100,000 旧证 rows on each run — to reach the few waiting ones. ``gets_pdf`` marks
-- the versions that wait for one (the legacy load writes false), and the job's partial index
-- holds only those still waiting, so it stays as small as the backlog.
ALTER TABLE certificate_versions ADD COLUMN gets_pdf boolean NOT NULL DEFAULT true;

UPDATE certificate_versions v SET gets_pdf = false
FROM certificates c
WHERE c.id = v.certificate_id AND c.regime = 'legacy';

DROP INDEX certificate_versions_without_pdf;
CREATE INDEX certificate_versions_awaiting_pdf ON certificate_versions (created_at)
WHERE pdf IS NULL AND NOT void AND gets_pdf;

ANALYZE certificate_versions;
