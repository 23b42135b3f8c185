-- SCIM may change the address and name of an account only when its own provisioning made the
-- account (SECURITY.md: SCIM cannot take over an existing local account by email). A membership
-- now says whether it made its account. Until now such an account was created in the same
-- transaction as its membership, at the same millisecond, which marks the existing ones.
ALTER TABLE memberships ADD COLUMN made_account INTEGER NOT NULL DEFAULT 0;
UPDATE memberships SET made_account = 1
 WHERE source = 'scim' AND joined_at = (SELECT u.created_at FROM users u WHERE u.id = memberships.user_id);
