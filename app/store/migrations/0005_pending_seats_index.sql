-- Seats are counted on every console page and every invitation: active members plus pending
-- invitations that have not expired. Without this index SQLite read every pending row of the
-- organization to check its expiry (36 ms at 120,000 pending); with it the count is an index
-- range.
CREATE INDEX invitations_org_pending_expiry ON invitations(org_id, expires_at) WHERE status = 'pending';
