package org

import (
	"cmp"
	"context"
	"encoding/json"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/lobby/lobby/app/metrics"
	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/password"
)

// Service carries out every change to organizations. It is safe for concurrent use.
type Service struct {
	db      *store.DB
	now     func() time.Time
	baseURL string
	log     *slog.Logger
	metrics *metrics.Metrics
	// afterCommit is called after a transaction that queued mail commits, to wake the sender.
	afterCommit func()
	purgers     []func(ctx context.Context, now int64) (int64, error)
	hasher      *password.Hasher
	passwordMin int
	joins       joinCache
	tokens      tokenCache
	// ssoProviders names the configured OpenID providers by id (SetSSOProviders, sso.go).
	ssoProviders map[string]string
	// sendChunk is how many invitations one transaction of SendImport sends (0: commitChunk).
	sendChunk int
	// expireHook, when set (by tests), runs inside each chunk's transaction of ExpireDue, which
	// fails with its error.
	expireHook func(chunk int) error
}

// Options configure a Service.
type Options struct {
	// BaseURL is the public address links are built from, never the request's Host.
	BaseURL string
	// Now is the clock; tests fix it. Defaults to time.Now.
	Now     func() time.Time
	Logger  *slog.Logger
	Metrics *metrics.Metrics
	// MailQueued is called after a change that queued mail has committed.
	MailQueued func()
	// Hasher hashes and checks passwords; it caps how many hash at once.
	Hasher *password.Hasher
	// PasswordMinLength is the fewest characters a new password may have
	// (security.password_min_length); password.MinLength when lower.
	PasswordMinLength int
}

// New returns a Service over db.
func New(db *store.DB, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Metrics == nil {
		o.Metrics = metrics.New()
	}
	if o.Hasher == nil {
		o.Hasher = password.New(2)
	}
	if o.MailQueued == nil {
		o.MailQueued = func() {}
	}
	return &Service{db: db, now: o.Now, baseURL: strings.TrimRight(o.BaseURL, "/"), log: o.Logger, metrics: o.Metrics,
		afterCommit: o.MailQueued, hasher: o.Hasher, passwordMin: max(o.PasswordMinLength, password.MinLength)}
}

// PasswordMinLength is the fewest characters a new password may have, for forms to say so.
func (s *Service) PasswordMinLength() int { return s.passwordMin }

// DB exposes the store to the other packages that read through the Service's transactions.
func (s *Service) DB() *store.DB { return s.db }

// Now is the Service's clock.
func (s *Service) Now() time.Time { return s.now() }

func (s *Service) nowMs() int64 { return s.now().UnixMilli() }

// Actor is who makes a change: a signed-in person, an API or SCIM token, the CLI or a job.
type Actor struct {
	Kind   string // user | token | scim | cli | system
	ID     string // user id or token id
	Name   string // shown in the audit log
	Email  string // the person's address, for mail that names them
	UserID string // the person behind the change, if any (a token's creator)
	OrgID  string
	Role   store.Role
	// Session is the session the change came from, recorded in the audit log.
	Session string
	// from is who emails sent for a token say they are from, when Authenticate read it with
	// the token (see mailSender).
	from *mailFrom
}

// mailFrom is the person emails name as their sender.
type mailFrom struct{ name, email string }

// Can reports whether the actor's role grants p.
func (a Actor) Can(p Permission) bool { return Has(a.Role, p) }

func (a Actor) require(p Permission) error {
	if !a.Can(p) {
		return errf(CodeForbidden, "", "you do not have permission to do this (%s)", p)
	}
	return nil
}

// userActor is a person acting in orgID (none for changes to their own account), named in the
// audit log by their name, or their address when they gave none.
func userActor(u store.User, orgID string) Actor {
	return Actor{Kind: "user", ID: u.ID, Name: cmp.Or(u.Name, u.EmailNorm), Email: u.EmailNorm, UserID: u.ID, OrgID: orgID}
}

// SystemActor acts for the instance itself (cron jobs, the CLI) with every permission.
func SystemActor(kind, name, orgID string) Actor {
	return Actor{Kind: kind, Name: name, OrgID: orgID, Role: systemRole}
}

// systemRole grants everything; it is never stored (the expire job makes an actor per row, so
// it must not build roles or ids).
var systemRole = store.Role{Key: RoleOwner, Name: "Owner", Permissions: allPermissions(), Builtin: true, Rank: rankOwner}

// audit builds an audit entry for a change by a.
func (s *Service) audit(a Actor, action, targetKind, targetID string, details map[string]any, now int64) store.AuditEntry {
	if a.Session != "" {
		if details == nil {
			details = map[string]any{}
		}
		details["session"] = a.Session
	}
	d := ""
	if len(details) > 0 {
		b, _ := json.Marshal(details)
		d = string(b)
	}
	return auditEntry(a, action, targetKind, targetID, d, now)
}

func auditEntry(a Actor, action, targetKind, targetID, details string, now int64) store.AuditEntry {
	return store.AuditEntry{ID: store.NewID(), OrgID: a.OrgID, ActorKind: a.Kind, ActorID: a.ID, ActorName: a.Name,
		Action: action, TargetKind: targetKind, TargetID: targetID, Details: details, CreatedAt: now}
}

// invitedDetails is what the audit log keeps of each invitation made: the JSON a map gave
// before (keys sorted, the actor's session included), without encoding a map with sorted keys
// for each address of a batch (4 % of a batch of 100).
type invitedDetails struct {
	Email   string   `json:"email"`
	Import  string   `json:"import,omitempty"`
	Notify  bool     `json:"notify"`
	Role    string   `json:"role"`
	Session string   `json:"session,omitempty"`
	Teams   []string `json:"teams"`
}

// auditInvited is the audit entry of one invitation made.
func auditInvited(a Actor, id string, d invitedDetails, now int64) store.AuditEntry {
	d.Session = a.Session
	return auditEntry(a, "invitation.created", "invitation", id, string(mustJSON(d)), now)
}

// writeAudit inserts audit entries inside a transaction.
func (s *Service) writeAudit(ctx context.Context, q store.Q, entries ...store.AuditEntry) error {
	return store.InsertAudit(ctx, q, entries...)
}

// mail queues one email inside the caller's transaction.
func (s *Service) mail(ctx context.Context, q store.Q, orgID, invitationID, template, to string, data map[string]any, now int64) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	_, err = store.EnqueueMail(ctx, q, store.OutboxMail{OrgID: orgID, InvitationID: invitationID, Template: template,
		To: to, Data: b}, now)
	return err
}

// tx runs fn in a write transaction and wakes the mail sender when it queued mail.
func (s *Service) tx(ctx context.Context, queuesMail bool, fn func(q store.Q) error) error {
	return s.txWith(ctx, s.db.Tx, queuesMail, fn)
}

// txLong is tx for a write that may take many milliseconds (a job's chunk, a large batch): it
// runs in a transaction of its own (store.DB.TxAlone), so short writes do not wait for its
// COMMIT.
func (s *Service) txLong(ctx context.Context, queuesMail bool, fn func(q store.Q) error) error {
	return s.txWith(ctx, s.db.TxAlone, queuesMail, fn)
}

// txMerged is tx for a write that may run as one call with adjacent queued writes of the same
// key (see store.DB.TxMerged).
func (s *Service) txMerged(ctx context.Context, queuesMail bool, key string, item any, fn func(q store.Q, items []any) error) error {
	if err := s.db.TxMerged(ctx, key, item, fn); err != nil {
		return err
	}
	if queuesMail {
		s.afterCommit()
	}
	return nil
}

// txWith runs fn with run (store.DB.Tx or TxAlone) and wakes the sender if it queued mail.
func (s *Service) txWith(ctx context.Context, run func(context.Context, func(store.Q) error) error, queuesMail bool, fn func(q store.Q) error) error {
	if err := run(ctx, fn); err != nil {
		return err
	}
	if queuesMail {
		s.afterCommit()
	}
	return nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// link builds an absolute link from the configured base URL.
func (s *Service) link(path string) string { return s.baseURL + path }

// site names this instance to people in words: its base URL's host ("lobby.example.com").
func (s *Service) site() string {
	if u, err := url.Parse(s.baseURL); err == nil && u.Host != "" {
		return u.Host
	}
	return s.baseURL
}

// AcceptURL is the link of an invitation token.
func (s *Service) AcceptURL(token string) string { return s.link("/invite/" + token) }
