package org

import (
	"cmp"
	"context"

	"github.com/lobby/lobby/app/store"
	"github.com/lobby/lobby/auth/token"
)

// inviteItem is one address of a batch with its own role and teams; Norm is already parsed by
// address.Parse and unique within the batch.
type inviteItem struct {
	Norm, Name string
	Role       store.Role
	Teams      []store.Team
	Resources  []store.Resource
}

// batchOptions apply to every item of a batch.
type batchOptions struct {
	Message  string
	Notify   bool
	ImportID string
	// Resend renews and re-sends the pending invitation an address already has instead of
	// leaving it alone. It only applies with Notify: a new link nobody is told about would
	// just break the one the person has.
	Resend bool
	// Sender is who the emails say they are from, if the caller looked it up already.
	Sender *Actor
}

// What happened to one item of a batch.
const (
	itemCreated     = iota // a new invitation
	itemExisting           // a pending invitation existed and was left alone
	itemResent             // a pending invitation existed and was renewed and sent again
	itemMember             // an active member already
	itemDeactivated        // a deactivated member
	itemNoSeat             // no free seat left
)

// itemResult reports one item of a batch. Invitation is the new, existing or resent one.
type itemResult struct {
	Kind       int
	Invitation store.Invitation
	Teams      []string // team names of a new invitation
	AcceptURL  string   // the link of a new or resent invitation
	NoSeat     string   // why an itemNoSeat found no free seat
}

// inviteBatch invites items inside the caller's write transaction q: it expires stale pending
// invitations of the addresses, skips members, keeps (or resends) live pending invitations,
// takes seats in item order and inserts the new invitations with their audit rows and, with
// Notify, their emails. It is the one place invitations are made in bulk: Invite and imports
// both call it.
func (s *Service) inviteBatch(ctx context.Context, q store.Q, a Actor, o store.Org, items []inviteItem, opt batchOptions, now int64) ([]itemResult, error) {
	out := make([]itemResult, len(items))
	if len(items) == 0 {
		return out, nil
	}
	norms := make([]string, len(items))
	for i, it := range items {
		norms[i] = it.Norm
	}
	if err := store.ExpireEmails(ctx, q, o.ID, norms, now); err != nil {
		return nil, err
	}
	members, err := store.MemberEmails(ctx, q, o.ID, norms)
	if err != nil {
		return nil, err
	}
	pending, err := store.PendingInvitationsByEmail(ctx, q, o.ID, norms)
	if err != nil {
		return nil, err
	}
	free, used, err := freeSeats(ctx, q, o, now)
	if err != nil {
		return nil, err
	}
	resend := opt.Resend && opt.Notify
	var roles map[string]store.Role // for what a resend may renew
	if resend && len(pending) > 0 {
		if roles, err = rolesByID(ctx, q, o.ID); err != nil {
			return nil, err
		}
	}
	var invs []store.Invitation
	var links [][]string
	var made []int // item index of each new invitation
	var renewals []store.Renewal
	var resent []int // item index of each renewed invitation
	for k, it := range items {
		switch {
		case members[it.Norm] == "active":
			out[k].Kind = itemMember
			continue
		case members[it.Norm] != "":
			out[k].Kind = itemDeactivated
			continue
		}
		if p, ok := pending[it.Norm]; ok {
			out[k] = itemResult{Kind: itemExisting, Invitation: p}
			// An invitation for a role the actor may not grant is left as it is.
			if resend && within(roles[p.RoleID], a.Role) {
				plain, hash := token.New(token.Invite)
				p.TokenHash, p.ExpiresAt, p.SendCount = hash, now+o.InviteTTLMs, p.SendCount+1
				out[k] = itemResult{Kind: itemResent, Invitation: p, AcceptURL: s.AcceptURL(plain)}
				renewals = append(renewals, store.Renewal{ID: p.ID, TokenHash: hash})
				resent = append(resent, k)
			}
			continue
		}
		if free == 0 {
			// Each invitation made before this one took a seat.
			out[k] = itemResult{Kind: itemNoSeat, NoSeat: seatError(o, used+int64(len(made))).Message}
			continue
		}
		if free > 0 {
			free--
		}
		plain, hash := token.New(token.Invite)
		inv := store.Invitation{ID: store.NewID(), OrgID: o.ID, Email: it.Norm, EmailNorm: it.Norm, Name: it.Name,
			RoleID: it.Role.ID, TokenHash: hash, Status: "pending", Kind: "invite", Message: opt.Message,
			InvitedBy: a.UserID, ImportID: opt.ImportID, ExpiresAt: now + o.InviteTTLMs, DeliveryStatus: "not_sent",
			CreatedAt: now, UpdatedAt: now, RoleKey: it.Role.Key}
		if opt.Notify {
			inv.DeliveryStatus, inv.SendCount = "queued", 1
		}
		out[k] = itemResult{Kind: itemCreated, Invitation: inv, Teams: names(it.Teams), AcceptURL: s.AcceptURL(plain)}
		invs = append(invs, inv)
		links = append(links, ids(it.Teams))
		made = append(made, k)
	}
	if err := s.existingTeams(ctx, q, out); err != nil {
		return nil, err
	}
	if err := store.InsertInvitations(ctx, q, invs, links); err != nil {
		return nil, err
	}
	var grants [][2]string
	for _, k := range made {
		for _, r := range items[k].Resources {
			grants = append(grants, [2]string{out[k].Invitation.ID, r.ID})
		}
	}
	if err := store.LinkInvitationResources(ctx, q, grants); err != nil {
		return nil, err
	}
	if err := store.RenewInvitations(ctx, q, o.ID, renewals, now+o.InviteTTLMs, now, true); err != nil {
		return nil, err
	}
	entries := make([]store.AuditEntry, 0, len(made)+len(resent))
	var mails, resentMails []store.OutboxMail
	var sender Actor
	if opt.Sender != nil {
		sender = *opt.Sender
	} else {
		sender = s.mailSender(ctx, q, a)
	}
	for _, k := range made {
		r, it := out[k], items[k]
		entries = append(entries, auditInvited(a, r.Invitation.ID, invitedDetails{Email: it.Norm, Import: opt.ImportID,
			Notify: opt.Notify, Role: it.Role.Key, Teams: r.Teams}, now))
		if opt.Notify {
			mails = append(mails, s.inviteMail(o, r.Invitation, it.Role, r.Teams, sender, r.AcceptURL, "invite"))
		}
	}
	if len(resent) > 0 {
		m, err := s.resentMails(ctx, q, a, o, out, resent)
		if err != nil {
			return nil, err
		}
		resentMails = m
		for _, k := range resent {
			d := map[string]any{"email": items[k].Norm, "notify": true, "was": "pending"}
			if opt.ImportID != "" {
				d["import"] = opt.ImportID
			}
			entries = append(entries, s.audit(a, "invitation.resent", "invitation", out[k].Invitation.ID, d, now))
		}
	}
	if err := s.writeAudit(ctx, q, entries...); err != nil {
		return nil, err
	}
	// New invitations were inserted with their delivery status, so their mail is only inserted;
	// resent ones go through EnqueueMails, which cancels the older email of the same invitation.
	if err := store.EnqueueNewMails(ctx, q, mails, now); err != nil {
		return nil, err
	}
	if len(resentMails) > 0 {
		if err := store.EnqueueMails(ctx, q, resentMails, now); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// existingTeams fills in the team names of the pending invitations a batch left alone, so
// that inviting an address again answers with the invitation as it stands, teams included.
func (s *Service) existingTeams(ctx context.Context, q store.Q, out []itemResult) error {
	var idl []string
	for _, r := range out {
		if r.Kind == itemExisting {
			idl = append(idl, r.Invitation.ID)
		}
	}
	if len(idl) == 0 {
		return nil
	}
	teams, err := store.TeamsOfInvitations(ctx, q, idl)
	if err != nil {
		return err
	}
	for k, r := range out {
		if r.Kind == itemExisting {
			out[k].Teams = names(teams[r.Invitation.ID])
		}
	}
	return nil
}

// resentMails builds the emails of renewed invitations, each with its own role and teams.
func (s *Service) resentMails(ctx context.Context, q store.Q, a Actor, o store.Org, out []itemResult, which []int) ([]store.OutboxMail, error) {
	idl := make([]string, len(which))
	for i, k := range which {
		idl[i] = out[k].Invitation.ID
	}
	teams, err := store.TeamsOfInvitations(ctx, q, idl)
	if err != nil {
		return nil, err
	}
	roles := map[string]store.Role{}
	mails := make([]store.OutboxMail, 0, len(which))
	for _, k := range which {
		inv := out[k].Invitation
		role, ok := roles[inv.RoleID]
		if !ok {
			if role, err = store.GetRole(ctx, q, o.ID, inv.RoleID); err != nil {
				return nil, err
			}
			roles[inv.RoleID] = role
		}
		mails = append(mails, s.inviteMail(o, inv, role, names(teams[inv.ID]), a, out[k].AcceptURL, "invite"))
	}
	return mails, nil
}

// mailSender is who an invitation email says invited the person: the signed-in person, or for
// a token the person who created it; never the token's or the command line's own name.
func (s *Service) mailSender(ctx context.Context, q store.Q, a Actor) Actor {
	if a.Kind == "user" {
		return a
	}
	from := a.from
	if from == nil {
		from = readMailFrom(ctx, q, a.UserID)
	}
	a.Name, a.Email = from.name, from.email
	return a
}

// readMailFrom reads the sender emails name for a token made by userID: its maker, or nobody.
func readMailFrom(ctx context.Context, q store.Q, userID string) *mailFrom {
	from := &mailFrom{}
	if userID != "" {
		if u, err := store.GetUser(ctx, q, userID); err == nil {
			from.name, from.email = cmp.Or(u.Name, u.EmailNorm), u.EmailNorm
		}
	}
	return from
}
