-- SCIM provisioning looks people and groups up by the identity provider's externalId on every
-- sync (Entra ID matches on it). The id ends each index so that a lookup also comes out in the
-- order SCIM lists in, and the planner needs no scan of the organization to page.
-- (Not partial indexes: a bound "external_id = ?" cannot use an index limited to non-empty ids.)
CREATE INDEX memberships_org_external ON memberships(org_id, external_id, id);
CREATE INDEX teams_org_external ON teams(org_id, external_id, id);
-- SCIM lists only the teams it manages, in creation order.
CREATE INDEX teams_org_source ON teams(org_id, source, id);
