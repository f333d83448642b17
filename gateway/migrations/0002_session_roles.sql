-- An authority's session carries its roles (受理, 审查, 审批) and 机关名称, as identity reported at
-- login, so the internal token minted from it names them (issue 10).
ALTER TABLE sessions
    ADD COLUMN roles    text[] NOT NULL DEFAULT '{}',
    ADD COLUMN org_name text;
