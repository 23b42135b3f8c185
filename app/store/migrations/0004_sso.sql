-- Per organization: members whose address is in one of these domains (one per line, normalised)
-- must sign in with the OpenID provider of this configured id; password sign-in is refused
-- for them. Empty domains means no requirement.
ALTER TABLE organizations ADD COLUMN sso_required_domains TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN sso_provider TEXT NOT NULL DEFAULT '';
