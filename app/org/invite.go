package org

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/lobby/lobby/app/address"
	"github.com/lobby/lobby/app/store"
)

// MaxBatch is the most addresses one Invite call takes; larger lists go through imports.
const MaxBatch = 5000

// longBatch is the batch size above which Invite takes a transaction of its own (about 5 ms of
// work) instead of sharing one with other writes; see Service.txLong.
const longBatch = 50

// InviteRequest asks to invite one or more addresses with the same role, teams and message.
type InviteRequest struct {
	Emails []string
	Name   string // only used when there is one address
	Role   string // role key; empty means the organization's default role
	Teams  []string
	// Resources (names or ids) the invitation gives directly, besides its teams' ones.
	Resources []string
	Message   string
	Notify    bool
	ImportID  string
	// Names gives a name per address (by position) when the caller has one, as imports do.
	Names []string
	// DryRun runs everything and rolls it back: the result says exactly what a real call
	// would do, and nothing is created or sent. The console's preview uses it.
	DryRun bool
}

// errDryRun rolls back a dry run's transaction.
var errDryRun = errors.New("dry run")

// Invited is one invitation created, or the pending one that already existed for the address.
type Invited struct {
	Invitation store.Invitation
	Teams      []string
	// AcceptURL is the link; empty for an invitation that already existed (resend to get one).
	AcceptURL string
	Existing  bool
}

// Refused is one address that was not invited, with why.
type Refused struct {
	Email   string
	Code    string
	Message string
}

// InviteResult reports per address what happened.
type InviteResult struct {
	Created []Invited
	Errors  []Refused
}

// Invite creates invitations for every acceptable address in one transaction: either all of
// the batch's invitations exist afterwards or none do. Addresses that cannot be invited are
// reported in Errors with a code; the others go ahead. Seats are checked inside the transaction.
// Small calls queued at once with the same actor and options run as one batch (runInvites
// through store.DB.TxMerged); each still gets exactly the result it would have had alone.
func (s *Service) Invite(ctx context.Context, a Actor, req InviteRequest) (InviteResult, error) {
	if err := a.require(PermInvite); err != nil {
		return InviteResult{}, err
	}
	if len(req.Emails) == 0 {
		return InviteResult{}, errf(CodeInvalid, "emails", "give at least one email address")
	}
	if len(req.Emails) > MaxBatch {
		return InviteResult{}, errf(CodeInvalid, "emails", "at most %d addresses at once; use a CSV import for more", MaxBatch)
	}
	req.Message = strings.TrimSpace(req.Message)
	if len([]rune(req.Message)) > 2000 {
		return InviteResult{}, errf(CodeInvalid, "message", "the personal message is longer than 2,000 characters")
	}
	req.Name = strings.TrimSpace(req.Name)
	if len([]rune(req.Name)) > 200 {
		return InviteResult{}, errf(CodeInvalid, "name", "the name is longer than 200 characters")
	}
	if !oneLine(req.Name) {
		return InviteResult{}, errf(CodeInvalid, "name", "the name must be on one line, without control characters")
	}
	// Parse first: bad addresses are reported and never reach the database.
	job := &inviteJob{a: a, req: req}
	seen := map[string]bool{}
	for i, raw := range req.Emails {
		norm, err := address.Parse(raw)
		if err != nil {
			job.refused = append(job.refused, Refused{Email: raw, Code: CodeInvalidEmail, Message: err.Error()})
			continue
		}
		if seen[norm] {
			job.refused = append(job.refused, Refused{Email: raw, Code: CodeDuplicate, Message: "this address is listed more than once"})
			continue
		}
		seen[norm] = true
		name := req.Name
		if i < len(req.Names) {
			name = strings.TrimSpace(req.Names[i])
			if !oneLine(name) {
				job.refused = append(job.refused, Refused{Email: raw, Code: CodeInvalid, Message: "the name must be on one line, without control characters"})
				continue
			}
		}
		job.cands = append(job.cands, inviteCand{norm: norm, name: name})
	}
	if len(job.cands) == 0 {
		return InviteResult{Errors: job.refused}, nil
	}
	// The sender's name only decorates the emails, so it is read before the write transaction,
	// on a reader. The organization's settings (seat limit, lifetime, default role) are rules:
	// they are read inside it, so a change committed meanwhile is never missed.
	job.sender = s.mailSender(ctx, s.db.R, a)
	alone := func(q store.Q) error { return s.runInvites(ctx, q, []*inviteJob{job}) }
	var err error
	switch {
	case len(job.cands) > longBatch:
		err = s.txLong(ctx, req.Notify, alone)
	case req.DryRun || req.ImportID != "":
		err = s.tx(ctx, req.Notify, alone)
	default:
		err = s.txMerged(ctx, req.Notify, job.mergeKey(), job, func(q store.Q, items []any) error {
			jobs := make([]*inviteJob, len(items))
			for i, it := range items {
				jobs[i] = it.(*inviteJob)
			}
			return s.runInvites(ctx, q, jobs)
		})
	}
	res := job.res
	if req.DryRun && errors.Is(err, errDryRun) {
		for i := range res.Created {
			res.Created[i].AcceptURL = ""
		}
		return res, nil
	}
	if err != nil {
		return InviteResult{}, err
	}
	created := 0
	for _, c := range res.Created {
		if !c.Existing {
			created++
		}
	}
	s.metrics.Invitations.WithLabelValues("created").Add(float64(created))
	for _, e := range res.Errors {
		if e.Code == CodeSeatLimit {
			s.metrics.Invitations.WithLabelValues("refused").Inc()
		}
	}
	return res, nil
}

// inviteMail builds the invitation (or reminder) email of inv.
func (s *Service) inviteMail(o store.Org, inv store.Invitation, role store.Role, teams []string, a Actor, url, template string) store.OutboxMail {
	inviter, inviterEmail := a.Name, a.Email
	if inv.InviterName != "" {
		inviter, inviterEmail = inv.InviterName, inv.InviterEmail
	}
	data := inviteData{OrgName: o.Name, InviterName: inviter, InviterEmail: inviterEmail, RoleName: role.Name,
		Teams: teams, Message: inv.Message, AcceptURL: url, Name: inv.Name,
		ExpiresAt: time.UnixMilli(inv.ExpiresAt).UTC().Format("Monday 2 January 2006, 15:04 MST")}
	return store.OutboxMail{OrgID: o.ID, InvitationID: inv.ID, Template: template, To: inv.EmailNorm, Data: mustJSON(data)}
}

// inviteData is what an invitation or reminder email is rendered from; its field names are
// the templates' keys. A struct, not a map: encoding a map sorts its keys and reflects on
// every value, 5 % of the writer's time in a batch of invitations.
type inviteData struct {
	OrgName, InviterName, InviterEmail, RoleName string
	Teams                                        []string
	Message, AcceptURL, Name, ExpiresAt          string
}

// resolveTeams looks up teams by name (or id) and fails naming the first unknown one.
func resolveTeams(ctx context.Context, q store.Q, orgID string, want []string) ([]store.Team, error) {
	if len(want) == 0 {
		return nil, nil
	}
	all, err := store.ListTeams(ctx, q, orgID)
	if err != nil {
		return nil, err
	}
	var out []store.Team
	seen := map[string]bool{}
	for _, w := range want {
		key := store.TeamKey(w)
		if key == "" {
			continue
		}
		found := false
		for _, t := range all {
			if store.TeamKey(t.Name) == key || t.ID == strings.TrimSpace(w) {
				if !seen[t.ID] {
					out = append(out, t)
					seen[t.ID] = true
				}
				found = true
				break
			}
		}
		if !found {
			return nil, errf(CodeUnknownTeam, "teams", "team %q does not exist; create it first on the Teams page (or with the API: POST /api/v1/teams)", strings.TrimSpace(w))
		}
	}
	return out, nil
}

func names(ts []store.Team) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}

func ids(ts []store.Team) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.ID
	}
	return out
}

// isConflict reports a uniqueness failure from the store.
func isConflict(err error) bool { return errors.Is(err, store.ErrConflict) }

// resolveResources looks up resources by name (any case) or id and fails naming the first
// unknown one.
func resolveResources(ctx context.Context, q store.Q, orgID string, want []string) ([]store.Resource, error) {
	if len(want) == 0 {
		return nil, nil
	}
	all, err := store.ListResources(ctx, q, orgID)
	if err != nil {
		return nil, err
	}
	var out []store.Resource
	seen := map[string]bool{}
	for _, w := range trimAll(want) {
		found := false
		for _, r := range all {
			if r.ID == w || strings.EqualFold(r.Name, w) {
				if !seen[r.ID] {
					out = append(out, r)
					seen[r.ID] = true
				}
				found = true
				break
			}
		}
		if !found {
			return nil, errf(CodeUnknownResource, "resources", "resource %q does not exist; add it in the console first", w)
		}
	}
	return out, nil
}
