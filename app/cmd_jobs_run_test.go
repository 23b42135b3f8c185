package app

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lobby/lobby/app/config"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// openTestApp builds the Lobby of the data folder dir as the commands do, on the clock now.
func openTestApp(t *testing.T, dir string, now func() time.Time) *App {
	t.Helper()
	cfg := config.Default()
	cfg.Database.URL = "file:" + filepath.Join(dir, "lobby.db")
	cfg.Mail.Dir = filepath.Join(dir, "mail")
	cfg.Jobs.Enabled = false
	a, err := New(context.Background(), cfg, os.DirFS("../public"), Options{Now: now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// `lobby jobs run expire` expires the invitation that is past its expiry, says how many it
// expired, and leaves the one still valid alone.
func TestJobsRunExpireExpiresWhatIsDue(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	if code, _, errOut := cliRun(t, dir, "", "org", "create", "--slug", "acme", "--name", "Acme"); code != 0 {
		t.Fatalf("org create: %s", errOut)
	}
	// One invitation sent ten days ago (they last seven), one sent now.
	invite := func(now func() time.Time, email string) (orgID, id string) {
		t.Helper()
		a := openTestApp(t, dir, now)
		defer a.Close()
		o, err := a.Org.OrgBySlug(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		res, err := a.Org.Invite(ctx, org.SystemActor("cli", "t", o.ID), org.InviteRequest{Emails: []string{email}})
		if err != nil || len(res.Created) != 1 {
			t.Fatalf("invite %s: %+v %v", email, res, err)
		}
		return o.ID, res.Created[0].Invitation.ID
	}
	orgID, old := invite(func() time.Time { return time.Now().Add(-10 * 24 * time.Hour) }, "late@acme.test")
	_, fresh := invite(time.Now, "soon@acme.test")

	code, out, errOut := cliRun(t, dir, "", "jobs", "run", "expire")
	if code != 0 || !strings.HasPrefix(out, "expire: ok in ") || !strings.Contains(out, "(expired 1 invitations") {
		t.Fatalf("jobs run expire: exit %d, stdout %q, stderr %q; want it to report 1 invitation expired", code, out, errOut)
	}

	a := openTestApp(t, dir, nil)
	defer a.Close()
	for id, want := range map[string]string{old: "expired", fresh: "pending"} {
		inv, err := store.GetInvitation(ctx, a.DB.R, orgID, id)
		if err != nil {
			t.Fatal(err)
		}
		if inv.Status != want {
			t.Errorf("invitation to %s is %q after jobs run expire, want %q", inv.Email, inv.Status, want)
		}
	}
}

// `lobby jobs run` with a name that is no job fails, naming the jobs there are.
func TestJobsRunUnknownNameListsTheJobs(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := cliRun(t, dir, "", "jobs", "run", "expiry")
	want := `lobby jobs run: there is no job called "expiry"; the jobs are: expire, purge, remind`
	if code == 0 || !strings.Contains(errOut, want) || out != "" {
		t.Fatalf("jobs run expiry: exit %d, stdout %q, stderr %q; want a non-zero exit and %q", code, out, errOut, want)
	}
}
