-- A join request is emailed to the admins who may decide it, found through their roles: the
-- organization's few roles that grant the permission, then the active members holding each.
-- Without this index that read, inside the request's write transaction, walked every active
-- member of the organization. Counting the owners left (CountMembersWithRole) reads it too.
CREATE INDEX memberships_active_role ON memberships(org_id, role_id) WHERE status = 'active';
