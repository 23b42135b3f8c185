-- The first schema of Lobby. Every time is INTEGER unix milliseconds UTC and every id is a
-- UUIDv7 string, so rows sort by creation and nothing depends on the driver's time handling.

CREATE TABLE organizations (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  seat_limit INTEGER,
  invite_ttl_ms INTEGER NOT NULL,
  remind_before_ms INTEGER NOT NULL DEFAULT 0,
  default_role TEXT NOT NULL DEFAULT 'member',
  require_team INTEGER NOT NULL DEFAULT 0,
  logo_url TEXT NOT NULL DEFAULT '',
  accent_color TEXT NOT NULL DEFAULT '',
  terms_url TEXT NOT NULL DEFAULT '',
  join_enabled INTEGER NOT NULL DEFAULT 0,
  join_slug TEXT UNIQUE,
  join_allowed_domains TEXT NOT NULL DEFAULT '',
  join_allowed_emails TEXT NOT NULL DEFAULT '',
  join_allow_subdomains INTEGER NOT NULL DEFAULT 0,
  join_role TEXT NOT NULL DEFAULT 'member',
  join_teams TEXT NOT NULL DEFAULT '',
  join_limit INTEGER,
  join_ends_at INTEGER,
  join_approval INTEGER NOT NULL DEFAULT 0,
  join_welcome TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  email_norm TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '',
  password_hash TEXT,
  email_verified_at INTEGER,
  disabled_at INTEGER,
  created_at INTEGER NOT NULL,
  last_login_at INTEGER
);

CREATE TABLE identities (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  UNIQUE (issuer, subject)
);
CREATE INDEX identities_user ON identities(user_id);

CREATE TABLE roles (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  name TEXT NOT NULL,
  permissions TEXT NOT NULL DEFAULT '',
  builtin INTEGER NOT NULL DEFAULT 0,
  rank INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  UNIQUE (org_id, key)
);

CREATE TABLE memberships (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role_id TEXT NOT NULL REFERENCES roles(id),
  status TEXT NOT NULL DEFAULT 'active',
  source TEXT NOT NULL,
  external_id TEXT NOT NULL DEFAULT '',
  attributes TEXT NOT NULL DEFAULT '',
  joined_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (org_id, user_id)
);
CREATE INDEX memberships_org_status ON memberships(org_id, status, id);

CREATE TABLE teams (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  name_norm TEXT NOT NULL,
  external_id TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT 'admin',
  owner_user_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (org_id, name_norm)
);

CREATE TABLE team_members (
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  membership_id TEXT NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, membership_id)
);
CREATE INDEX team_members_membership ON team_members(membership_id);

CREATE TABLE resources (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  url TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE TABLE team_resources (
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  PRIMARY KEY (team_id, resource_id)
);
CREATE TABLE membership_resources (
  membership_id TEXT NOT NULL REFERENCES memberships(id) ON DELETE CASCADE,
  resource_id TEXT NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  PRIMARY KEY (membership_id, resource_id)
);

CREATE TABLE invitations (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  email TEXT NOT NULL,
  email_norm TEXT NOT NULL,
  name TEXT NOT NULL DEFAULT '',
  role_id TEXT NOT NULL REFERENCES roles(id),
  token_hash TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL DEFAULT 'pending',
  kind TEXT NOT NULL DEFAULT 'invite',
  message TEXT NOT NULL DEFAULT '',
  invited_by TEXT,
  import_id TEXT,
  expires_at INTEGER NOT NULL,
  sent_at INTEGER,
  send_count INTEGER NOT NULL DEFAULT 0,
  delivery_status TEXT NOT NULL DEFAULT 'not_sent',
  delivery_error TEXT NOT NULL DEFAULT '',
  reminded_at INTEGER,
  opened_at INTEGER,
  accepted_at INTEGER,
  accepted_user_id TEXT,
  revoked_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- One pending invitation per address per organization.
CREATE UNIQUE INDEX invitations_one_pending ON invitations(org_id, email_norm) WHERE status = 'pending';
CREATE INDEX invitations_org_status ON invitations(org_id, status, id);
-- The expire job walks pending invitations by expiry.
CREATE INDEX invitations_pending_expiry ON invitations(expires_at) WHERE status = 'pending';
CREATE INDEX invitations_import ON invitations(import_id) WHERE import_id IS NOT NULL;

CREATE TABLE invitation_teams (
  invitation_id TEXT NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
  team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
  PRIMARY KEY (invitation_id, team_id)
);

CREATE TABLE imports (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  filename TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'preview',
  notify INTEGER NOT NULL DEFAULT 1,
  counts TEXT NOT NULL DEFAULT '{}',
  created_by TEXT,
  created_at INTEGER NOT NULL,
  committed_at INTEGER
);
CREATE TABLE import_rows (
  import_id TEXT NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
  line INTEGER NOT NULL,
  email TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL DEFAULT '',
  teams TEXT NOT NULL DEFAULT '',
  outcome TEXT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  invitation_id TEXT,
  PRIMARY KEY (import_id, line)
);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_by TEXT,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at INTEGER
);

CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  csrf TEXT NOT NULL,
  data TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- Single-use links other than invitations: password resets, join confirmations, first-run setup.
CREATE TABLE link_tokens (
  token_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  org_id TEXT,
  user_id TEXT,
  email_norm TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '',
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX link_tokens_expires ON link_tokens(expires_at);

CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  org_id TEXT,
  invitation_id TEXT,
  template TEXT NOT NULL,
  to_addr TEXT NOT NULL,
  data TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  message_id TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE status = 'queued';
CREATE INDEX outbox_invitation ON outbox(invitation_id) WHERE invitation_id IS NOT NULL;

CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  org_id TEXT,
  actor_kind TEXT NOT NULL,
  actor_id TEXT NOT NULL DEFAULT '',
  actor_name TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  target_kind TEXT NOT NULL DEFAULT '',
  target_id TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX audit_org ON audit_log(org_id, id);

CREATE TABLE job_leases (
  name TEXT PRIMARY KEY,
  holder TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);

CREATE TABLE job_runs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  holder TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  duration_ms INTEGER NOT NULL,
  result TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX job_runs_name ON job_runs(name, started_at);

CREATE TABLE throttle (
  key TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  window_start INTEGER NOT NULL
);
