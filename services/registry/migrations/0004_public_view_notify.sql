-- The public view (证书查验) each registry process keeps in memory follows the register through
-- NOTIFY on channel registry_public: the payload is a changed certificate's number, or '*' when
-- the statement changed more than 200 rows (a legacy COPY, a mass expiry) or emptied the table,
-- meaning "reload everything". The triggers are statement-level, so a COPY of 100,000 rows pays
-- one trigger call; the notifications are delivered at commit, and only if it commits.

CREATE FUNCTION registry_public_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    numbers text[];  -- NULL after a TRUNCATE
BEGIN
    -- at most 201 read: enough to tell "more than 200" without reading a whole COPY
    IF TG_OP = 'INSERT' THEN
        numbers := ARRAY(SELECT number FROM changed LIMIT 201);
    ELSIF TG_OP = 'UPDATE' THEN
        numbers := ARRAY(SELECT number FROM changed LIMIT 201);
        IF cardinality(numbers) <= 200 THEN  -- the old numbers too, should a number ever change
            numbers := ARRAY(SELECT number FROM changed UNION SELECT number FROM previous);
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        numbers := ARRAY(SELECT number FROM previous LIMIT 201);
    END IF;
    IF numbers IS NULL OR cardinality(numbers) > 200 THEN
        PERFORM pg_notify('registry_public', '*');
    ELSE
        PERFORM pg_notify('registry_public', number) FROM unnest(numbers) AS number;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER certificates_public_inserted AFTER INSERT ON certificates
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION registry_public_notify();
CREATE TRIGGER certificates_public_updated AFTER UPDATE ON certificates
    REFERENCING OLD TABLE AS previous NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION registry_public_notify();
CREATE TRIGGER certificates_public_deleted AFTER DELETE ON certificates
    REFERENCING OLD TABLE AS previous FOR EACH STATEMENT EXECUTE FUNCTION registry_public_notify();
CREATE TRIGGER certificates_public_truncated AFTER TRUNCATE ON certificates
    FOR EACH STATEMENT EXECUTE FUNCTION registry_public_notify();
