-- The console's People list pages through members and invitations of one organization newest
-- first; these indexes let it read one page without sorting the whole organization.
CREATE INDEX memberships_org_id ON memberships(org_id, id);
CREATE INDEX invitations_org_id ON invitations(org_id, id);
