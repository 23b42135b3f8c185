-- Found by a scale audit: two lookups walked a whole table. A person's memberships (the
-- dashboard, every sign-in's SSO rule check, SCIM's count in a user PATCH, the search index's
-- trigger when a person is renamed, and the foreign key check when an account is deleted)
-- scanned every membership of the instance; a team's invitations (the People filter by team,
-- and the foreign key check when a team is deleted) scanned every invitation's team links.
CREATE INDEX memberships_user ON memberships(user_id);
CREATE INDEX invitation_teams_team ON invitation_teams(team_id);
