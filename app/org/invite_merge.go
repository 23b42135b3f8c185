package org

import (
	"cmp"
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/lobby/lobby/app/store"
)

// inviteJob is one Invite call's work inside the write transaction: its parsed addresses and,
// once the transaction function succeeded, its result.
type inviteJob struct {
	a       Actor
	req     InviteRequest
	refused []Refused // addresses refused before the transaction (bad or listed twice)
	cands   []inviteCand
	sender  Actor
	res     InviteResult
}

// inviteCand is one parsed, unique address of a job.
type inviteCand struct{ norm, name string }

// errOverlap stops a merged run of invitations that name one address twice: run one after the
// other, the second would find the first's invitation, which one multi-row batch cannot see.
var errOverlap = errors.New("the merged invitations share an address")

// mergeKey is equal for two jobs exactly when runInvites may run them as one batch: the same
// actor (audit rows, permissions, the emails' sender), role, teams, resources, message and
// notify. Each part is length-prefixed, so no two different lists of parts give one key.
func (j *inviteJob) mergeKey() string {
	a, r := j.a, j.req
	parts := []string{"invite", a.Kind, a.ID, a.Name, a.Email, a.UserID, a.OrgID, a.Session, a.Role.ID, a.Role.Key,
		strings.Join(a.Role.Permissions, ","), strconv.Itoa(a.Role.Rank), j.sender.Name, j.sender.Email,
		r.Role, strings.Join(r.Teams, "\x00"), strings.Join(r.Resources, "\x00"), r.Message, strconv.FormatBool(r.Notify)}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(strconv.Itoa(len(p)))
		b.WriteByte(':')
		b.WriteString(p)
	}
	return b.String()
}

// runInvites invites the addresses of jobs, which share one merge key, inside the write
// transaction q, as one batch: one read of the organization and its rules, one inviteBatch
// call. Each job's result is set only when it returns nil (or errDryRun for a dry run).
func (s *Service) runInvites(ctx context.Context, q store.Q, jobs []*inviteJob) error {
	first := jobs[0]
	a, req := first.a, first.req
	o, err := store.GetOrg(ctx, q, a.OrgID)
	if err != nil {
		return notFound(err, "organization")
	}
	role, err := roleByKey(ctx, q, o.ID, cmp.Or(req.Role, o.DefaultRole))
	if err != nil {
		return err
	}
	if err := mayGrant(a, role); err != nil {
		return err
	}
	teams, err := resolveTeams(ctx, q, o.ID, req.Teams)
	if err != nil {
		return err
	}
	resources, err := resolveResources(ctx, q, o.ID, req.Resources)
	if err != nil {
		return err
	}
	if o.RequireTeam && len(teams) == 0 {
		return errf(CodeTeamRequired, "teams", "%s requires every invitation to name at least one team", o.Name)
	}
	var items []inviteItem
	seen := map[string]bool{}
	for _, j := range jobs {
		for _, c := range j.cands {
			if seen[c.norm] {
				return errOverlap
			}
			seen[c.norm] = true
			items = append(items, inviteItem{Norm: c.norm, Name: c.name, Role: role, Teams: teams, Resources: resources})
		}
	}
	outs, err := s.inviteBatch(ctx, q, a, o, items, batchOptions{Message: req.Message, Notify: req.Notify,
		ImportID: req.ImportID, Sender: &first.sender}, s.nowMs())
	if err != nil {
		return err
	}
	for _, j := range jobs {
		j.res = jobResult(o, j.refused, items[:len(j.cands)], outs[:len(j.cands)])
		items, outs = items[len(j.cands):], outs[len(j.cands):]
	}
	if req.DryRun {
		return errDryRun
	}
	return nil
}

// jobResult is one job's result from its share of a batch: refusals first (those made before
// the transaction, then per address), then pending invitations that existed, then new ones.
func jobResult(o store.Org, refused []Refused, items []inviteItem, outs []itemResult) InviteResult {
	res := InviteResult{Errors: append([]Refused(nil), refused...)}
	for k, r := range outs {
		norm := items[k].Norm
		switch r.Kind {
		case itemMember:
			res.Errors = append(res.Errors, Refused{Email: norm, Code: CodeAlreadyMember, Message: "already a member of " + o.Name})
		case itemDeactivated:
			res.Errors = append(res.Errors, Refused{Email: norm, Code: CodeDeactivated, Message: "a deactivated member; reactivate them instead"})
		case itemExisting:
			res.Created = append(res.Created, Invited{Invitation: r.Invitation, Teams: r.Teams, Existing: true})
		case itemNoSeat:
			res.Errors = append(res.Errors, Refused{Email: norm, Code: CodeSeatLimit, Message: r.NoSeat})
		}
	}
	for _, r := range outs {
		if r.Kind == itemCreated {
			res.Created = append(res.Created, Invited{Invitation: r.Invitation, Teams: r.Teams, AcceptURL: r.AcceptURL})
		}
	}
	return res
}
