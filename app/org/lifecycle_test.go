package org_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

func TestInviteAcceptLifecycle(t *testing.T) {
	f := newFixture(t)
	if _, err := f.svc.CreateTeam(f.ctx, f.owner, "Sales"); err != nil {
		t.Fatal(err)
	}
	inv := f.invite("  Bob@Example.COM ", func(r *org.InviteRequest) {
		r.Teams, r.Message, r.Name = []string{"sales"}, "Welcome aboard", "Bob"
	})
	if inv.Invitation.Email != "bob@example.com" || inv.Invitation.Status != "pending" || inv.Invitation.DeliveryStatus != "queued" {
		t.Fatalf("unexpected invitation %+v", inv.Invitation)
	}
	if want := f.clock.Now().Add(7 * 24 * time.Hour).UnixMilli(); inv.Invitation.ExpiresAt != want {
		t.Fatalf("expires_at = %d, want %d", inv.Invitation.ExpiresAt, want)
	}
	// The invitation email waits in the outbox, addressed to the stored address, with the link.
	var to, data string
	if err := f.db.R.QueryRowContext(f.ctx, `SELECT to_addr, data FROM outbox WHERE invitation_id = ? AND template = 'invite'`,
		inv.Invitation.ID).Scan(&to, &data); err != nil {
		t.Fatal(err)
	}
	if to != "bob@example.com" || !strings.Contains(data, inv.AcceptURL) || !strings.Contains(data, "Welcome aboard") {
		t.Fatalf("outbox row to=%q data=%s", to, data)
	}
	plain := tokenOf(t, inv.AcceptURL)

	// Opening the link twice does not consume it.
	for range 2 {
		opened, err := f.svc.OpenInvitation(f.ctx, plain)
		if err != nil {
			t.Fatal(err)
		}
		if opened.Org.Name != "Acme" || opened.RoleName != "Member" || len(opened.Teams) != 1 || opened.Teams[0] != "Sales" {
			t.Fatalf("opened %+v", opened)
		}
	}
	acc, err := f.svc.AcceptNewAccount(f.ctx, plain, org.SignUp{Name: "Bob B", PasswordHash: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if acc.Membership.Status != "active" || acc.Membership.Source != "invite" || acc.User.EmailVerifiedAt == nil {
		t.Fatalf("membership %+v user %+v", acc.Membership, acc.User)
	}
	m, err := f.svc.Member(f.ctx, f.owner, acc.Membership.ID)
	if err != nil || len(m.Teams) != 1 || m.Teams[0] != "Sales" {
		t.Fatalf("member teams %v, %v", m.Teams, err)
	}
	// The link is single use, and the inviter was told.
	if _, err := f.svc.AcceptNewAccount(f.ctx, plain, org.SignUp{Name: "Mallory"}); codeOf(err) != org.CodeInviteUsed {
		t.Fatalf("second accept: %v", err)
	}
	if _, err := f.svc.OpenInvitation(f.ctx, plain); codeOf(err) != org.CodeInviteUsed {
		t.Fatalf("open after accept: %v", err)
	}
	if n := f.count(`SELECT count(*) FROM outbox WHERE template = 'accepted_notice' AND to_addr = 'alice@acme.test'`); n != 1 {
		t.Fatalf("accepted notices: %d", n)
	}
	for _, action := range []string{"invitation.created", "invitation.accepted"} {
		if n := f.count(`SELECT count(*) FROM audit_log WHERE action = ? AND target_id = ?`, action, inv.Invitation.ID); n != 1 {
			t.Fatalf("audit %s: %d rows", action, n)
		}
	}
}

func TestResendKillsOldLinkAndResetsExpiry(t *testing.T) {
	f := newFixture(t)
	inv := f.invite("carol@example.com")
	old := tokenOf(t, inv.AcceptURL)
	f.clock.Add(3 * 24 * time.Hour)
	r, err := f.svc.Resend(f.ctx, f.owner, inv.Invitation.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	if r.AcceptURL == inv.AcceptURL {
		t.Fatal("resend kept the same link")
	}
	if _, err := f.svc.OpenInvitation(f.ctx, old); codeOf(err) != org.CodeNotFound {
		t.Fatalf("old link still opens: %v", err)
	}
	if want := f.clock.Now().Add(7 * 24 * time.Hour).UnixMilli(); r.Invitation.ExpiresAt != want {
		t.Fatalf("expiry not reset: %d want %d", r.Invitation.ExpiresAt, want)
	}
	if r.Invitation.SendCount != 2 {
		t.Fatalf("send_count = %d", r.Invitation.SendCount)
	}
	if _, err := f.svc.OpenInvitation(f.ctx, tokenOf(t, r.AcceptURL)); err != nil {
		t.Fatalf("new link: %v", err)
	}
	// Two invitation emails went out, each with its own link.
	if n := f.count(`SELECT count(*) FROM outbox WHERE invitation_id = ? AND template = 'invite'`, inv.Invitation.ID); n != 2 {
		t.Fatalf("invite mails: %d", n)
	}
}

func TestExpiredInvitationCanBeResentButRevokedCannot(t *testing.T) {
	f := newFixture(t)
	inv := f.invite("dan@example.com")
	f.clock.Add(8 * 24 * time.Hour)
	if _, err := f.svc.OpenInvitation(f.ctx, tokenOf(t, inv.AcceptURL)); codeOf(err) != org.CodeInviteExpired {
		t.Fatalf("open expired: %v", err)
	}
	if _, err := f.svc.AcceptNewAccount(f.ctx, tokenOf(t, inv.AcceptURL), org.SignUp{Name: "Dan"}); codeOf(err) != org.CodeInviteExpired {
		t.Fatalf("accept expired: %v", err)
	}
	if _, err := f.svc.EditInvitation(f.ctx, f.owner, inv.Invitation.ID, org.InvitationEdit{Role: ptr("admin")}); codeOf(err) != org.CodeNotPending {
		t.Fatalf("edit expired: %v", err)
	}
	r, err := f.svc.Resend(f.ctx, f.owner, inv.Invitation.ID, false)
	if err != nil || r.Invitation.Status != "pending" {
		t.Fatalf("resend expired: %+v %v", r.Invitation.Status, err)
	}
	if _, err := f.svc.Revoke(f.ctx, f.owner, inv.Invitation.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.OpenInvitation(f.ctx, tokenOf(t, r.AcceptURL)); codeOf(err) != org.CodeInviteRevoked {
		t.Fatalf("open revoked: %v", err)
	}
	if _, err := f.svc.Resend(f.ctx, f.owner, inv.Invitation.ID, true); codeOf(err) != org.CodeNotResendable {
		t.Fatalf("resend revoked: %v", err)
	}
	if _, err := f.svc.Revoke(f.ctx, f.owner, inv.Invitation.ID); codeOf(err) != org.CodeNotPending {
		t.Fatalf("revoke twice: %v", err)
	}
}

func TestExpireJobWithFixedClock(t *testing.T) {
	f := newFixture(t)
	a := f.invite("erin@example.com")
	f.clock.Add(24 * time.Hour)
	b := f.invite("frank@example.com")
	f.clock.Add(6*24*time.Hour + time.Minute) // a is past 7 days, b is not
	summary, err := f.svc.ExpireDue(f.ctx)
	if err != nil || summary != "expired 1 invitations in 1 transactions" {
		t.Fatalf("summary %q, %v", summary, err)
	}
	got := map[string]string{}
	for _, id := range []string{a.Invitation.ID, b.Invitation.ID} {
		v, err := f.svc.Invitation(f.ctx, f.owner, id)
		if err != nil {
			t.Fatal(err)
		}
		got[v.Email] = v.Status
	}
	if got["erin@example.com"] != "expired" || got["frank@example.com"] != "pending" {
		t.Fatalf("statuses %v", got)
	}
	if n := f.count(`SELECT count(*) FROM outbox WHERE template = 'expired_notice' AND to_addr = 'alice@acme.test'`); n != 1 {
		t.Fatalf("expired notices: %d", n)
	}
	// Running again finds nothing more.
	if summary, _ := f.svc.ExpireDue(f.ctx); summary != "expired 0 invitations" {
		t.Fatal(summary)
	}
}

func TestEditWhilePending(t *testing.T) {
	f := newFixture(t)
	for _, n := range []string{"Red", "Blue"} {
		if _, err := f.svc.CreateTeam(f.ctx, f.owner, n); err != nil {
			t.Fatal(err)
		}
	}
	inv := f.invite("gina@example.com", func(r *org.InviteRequest) { r.Teams = []string{"Red"} })
	v, err := f.svc.EditInvitation(f.ctx, f.owner, inv.Invitation.ID, org.InvitationEdit{Role: ptr("admin"), Teams: &[]string{"blue", "RED"}})
	if err != nil {
		t.Fatal(err)
	}
	if v.RoleKey != "admin" || strings.Join(v.Teams, ",") != "Blue,Red" {
		t.Fatalf("after edit: role %s teams %v", v.RoleKey, v.Teams)
	}
	if _, err := f.svc.EditInvitation(f.ctx, f.owner, inv.Invitation.ID, org.InvitationEdit{Teams: &[]string{"Green"}}); codeOf(err) != org.CodeUnknownTeam {
		t.Fatalf("unknown team: %v", err)
	}
	if _, err := f.svc.EditInvitation(f.ctx, f.owner, inv.Invitation.ID, org.InvitationEdit{Role: ptr("boss")}); codeOf(err) != org.CodeUnknownRole {
		t.Fatalf("unknown role: %v", err)
	}
	acc, err := f.svc.AcceptNewAccount(f.ctx, tokenOf(t, inv.AcceptURL), org.SignUp{Name: "Gina"})
	if err != nil || acc.Membership.RoleKey != "admin" {
		t.Fatalf("accepted as %q: %v", acc.Membership.RoleKey, err)
	}
	if _, err := f.svc.EditInvitation(f.ctx, f.owner, inv.Invitation.ID, org.InvitationEdit{Role: ptr("member")}); codeOf(err) != org.CodeNotPending {
		t.Fatalf("edit accepted: %v", err)
	}
}

func TestInviteReportsEveryAddress(t *testing.T) {
	f := newFixture(t)
	first := f.invite("henry@example.com")
	res, err := f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: []string{
		"ivy@example.com", "Bob <bob@example.com>", "ivy@EXAMPLE.com", "henry@example.com", "alice@acme.test", "no-at-sign",
	}})
	if err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{}
	for _, e := range res.Errors {
		codes[e.Email] = e.Code
	}
	want := map[string]string{"Bob <bob@example.com>": org.CodeInvalidEmail, "ivy@EXAMPLE.com": org.CodeDuplicate,
		"alice@acme.test": org.CodeAlreadyMember, "no-at-sign": org.CodeInvalidEmail}
	for k, v := range want {
		if codes[k] != v {
			t.Errorf("%s: code %q, want %q (all: %v)", k, codes[k], v, codes)
		}
	}
	if len(res.Created) != 2 {
		t.Fatalf("created %d", len(res.Created))
	}
	for _, c := range res.Created {
		if c.Invitation.Email == "henry@example.com" && (!c.Existing || c.Invitation.ID != first.Invitation.ID || c.AcceptURL != "") {
			t.Fatalf("a second invitation answered %+v instead of the existing one", c)
		}
	}
	if n := f.count(`SELECT count(*) FROM invitations WHERE email_norm = 'henry@example.com'`); n != 1 {
		t.Fatalf("henry has %d invitations", n)
	}
	if _, err := f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: []string{"x@example.com"}, Role: "wizard"}); codeOf(err) != org.CodeUnknownRole {
		t.Fatalf("unknown role: %v", err)
	}
	if _, err := f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: []string{"x@example.com"}, Teams: []string{"Nope"}}); codeOf(err) != org.CodeUnknownTeam {
		t.Fatalf("unknown team: %v", err)
	}
	if n := f.count(`SELECT count(*) FROM invitations WHERE email_norm = 'x@example.com'`); n != 0 {
		t.Fatal("a refused batch left an invitation behind")
	}
}

func ptr[T any](v T) *T { return &v }

var _ = store.ErrNotFound

func TestInvitationEmailNamesAPersonNotAToken(t *testing.T) {
	f := newFixture(t)
	tok, err := f.svc.CreateToken(f.ctx, f.owner, "api", "CI robot")
	if err != nil {
		t.Fatal(err)
	}
	a, err := f.svc.Authenticate(f.ctx, "api", tok.Plain)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Invite(f.ctx, a, org.InviteRequest{Emails: []string{"tok@example.com"}, Notify: true}); err != nil {
		t.Fatal(err)
	}
	var data string
	if err := f.db.R.QueryRow(`SELECT data FROM outbox WHERE to_addr = 'tok@example.com'`).Scan(&data); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(data, "CI robot") || !strings.Contains(data, `"InviterName":"Alice"`) {
		t.Fatalf("the email names %s", data)
	}
}

func TestInvitationResourcesBecomeTheMembers(t *testing.T) {
	f := newFixture(t)
	r, err := f.svc.CreateResource(f.ctx, f.owner, "Course", "https://learn.example/c", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Invite(f.ctx, f.owner, org.InviteRequest{Emails: []string{"x@example.com"}, Resources: []string{"Nope"}}); codeOf(err) != org.CodeUnknownResource {
		t.Fatalf("unknown resource: %v", err)
	}
	inv := f.invite("res@example.com", func(req *org.InviteRequest) { req.Resources = []string{"course"} })
	acc, err := f.svc.AcceptNewAccount(f.ctx, tokenOf(t, inv.AcceptURL), org.SignUp{Name: "Res"})
	if err != nil {
		t.Fatal(err)
	}
	has, direct, err := f.svc.MemberResources(f.ctx, f.owner, acc.Membership.ID)
	if err != nil || len(has) != 1 || has[0].ID != r.ID || !direct[r.ID] {
		t.Fatalf("member resources %+v direct %v: %v", has, direct, err)
	}
}
