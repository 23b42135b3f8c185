-- An invitation can give resources (links) directly, besides those its teams grant; on
-- acceptance they become the member's own.
CREATE TABLE invitation_resources (
  invitation_id TEXT NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
  resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  PRIMARY KEY (invitation_id, resource_id)
);
