-- API and SCIM tokens expire (SECURITY.md). Tokens made before this have none (NULL): they keep
-- working until revoked, because an upgrade must not cut off an identity provider mid-sync; the
-- console marks them as without an expiry so that an admin replaces them.
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
