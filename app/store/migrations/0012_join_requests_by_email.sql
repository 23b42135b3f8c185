-- A person's dashboard shows their join requests still waiting for an admin, found by their
-- address across organizations. Without this index that read walked every invitation of the
-- instance on each visit; requests are few, so the index stays small.
CREATE INDEX invitations_requested_email ON invitations(email_norm) WHERE status = 'requested';
