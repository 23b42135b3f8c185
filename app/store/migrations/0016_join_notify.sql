-- An organization may have its admins emailed each time someone joins through its join page
-- (without approval: with approval they are emailed about each request anyway).
ALTER TABLE organizations ADD COLUMN join_notify INTEGER NOT NULL DEFAULT 0;
