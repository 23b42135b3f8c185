-- API and SCIM tokens expire (SECURITY.md). Tokens made before this get an expiry too: a year
-- after they were made, but never sooner than 90 days after the upgrade, so that an identity
-- provider is not cut off mid-sync by an upgrade and its admin has time to make a new token
-- (the console shows the date, and marks tokens in their last 14 days).
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
UPDATE api_tokens SET expires_at = max(created_at + 31536000000, CAST(strftime('%s', 'now') AS INTEGER) * 1000 + 7776000000)
 WHERE expires_at IS NULL;
