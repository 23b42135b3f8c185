-- The expire job tells each inviter once per run which invitations expired, after its last
-- chunk. A run that stops before that (a restart, a crash) leaves the time it started here,
-- and the next run tells the inviters of everything expired since then, from the audit log.
CREATE TABLE expire_untold (since INTEGER NOT NULL);
