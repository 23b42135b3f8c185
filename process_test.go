package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lobby/lobby/app/store/engine"
)

// binDir is the folder of the binary buildOnce built, removed by TestMain at the end.
var binDir string

var buildOnce = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "lobby-bin-")
	if err != nil {
		return "", err
	}
	binDir = dir
	bin := filepath.Join(dir, "lobby")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

// TestMain removes the binary the process tests built: 43 MB a run otherwise stayed behind.
func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		_ = os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// lobbyProcess is a real `lobby serve` in its own process.
type lobbyProcess struct {
	cmd  *exec.Cmd
	base string
	out  *bytes.Buffer
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startLobby(t *testing.T, env ...string) *lobbyProcess {
	t.Helper()
	bin, err := buildOnce()
	if err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	p := &lobbyProcess{base: "http://" + addr, out: &bytes.Buffer{}}
	p.cmd = exec.Command(bin, "serve")
	p.cmd.Env = append(os.Environ(), append(env, "LOBBY_SERVER_ADDR="+addr, "LOBBY_SERVER_BASE_URL=http://"+addr)...)
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.cmd.Process.Kill(); _ = p.cmd.Wait() })
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(p.base + "/healthz"); err == nil {
			resp.Body.Close()
			return p
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("lobby did not start:\n%s", p.out)
	return nil
}

func dataEnv(dir string) []string {
	return []string{"LOBBY_DATABASE_URL=file:" + filepath.Join(dir, "lobby.db"), "LOBBY_MAIL_DIR=" + filepath.Join(dir, "mail"),
		"LOBBY_LOG_LEVEL=warn"}
}

func openDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db := sql.OpenDB(engine.Connector{Path: filepath.Join(dir, "lobby.db")})
	t.Cleanup(func() { db.Close() })
	return db
}

// Two Lobby processes on one database file run the expire job once per tick between them.
func TestTwoProcessesRunEachExpireTickOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := append(dataEnv(dir), "LOBBY_JOBS_EXPIRE=@every 1s")
	a := startLobby(t, env...)
	b := startLobby(t, env...)
	time.Sleep(4500 * time.Millisecond)
	for _, p := range []*lobbyProcess{a, b} {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		_ = p.cmd.Wait()
	}
	db := openDB(t, dir)
	rows, err := db.Query(`SELECT started_at, holder FROM job_runs WHERE name = 'expire' ORDER BY started_at`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var starts []int64
	holders := map[string]int{}
	for rows.Next() {
		var at int64
		var h string
		if err := rows.Scan(&at, &h); err != nil {
			t.Fatal(err)
		}
		starts = append(starts, at)
		holders[h]++
	}
	if len(starts) < 2 || len(starts) > 6 {
		t.Fatalf("%d expire runs in 4.5 s of 1 s ticks from two processes (%v)\nA:\n%s\nB:\n%s", len(starts), holders, a.out, b.out)
	}
	sort.Slice(starts, func(i, j int) bool { return starts[i] < starts[j] })
	for i := 1; i < len(starts); i++ {
		if gap := starts[i] - starts[i-1]; gap < 500 {
			t.Fatalf("two expire runs %d ms apart: one tick ran twice (%v)", gap, holders)
		}
	}
	t.Logf("%d runs; by holder %v", len(starts), holders)
}

// A process killed with SIGKILL in the middle of a 5,000-address invitation leaves the whole
// batch or none of it, never part.
func TestKilledMidBatchLeavesAllOrNothing(t *testing.T) {
	t.Parallel()
	emails := make([]string, 5000)
	for i := range emails {
		emails[i] = fmt.Sprintf(`"p%04d@crash.example"`, i)
	}
	body := `{"notify":true,"emails":[` + strings.Join(emails, ",") + `]}`
	outcomes := map[int]int{}
	for _, delay := range []time.Duration{30 * time.Millisecond, 120 * time.Millisecond, 300 * time.Millisecond, 5 * time.Second} {
		dir := t.TempDir()
		env := dataEnv(dir)
		code, _, errOut := cliEnv(env, "org", "create", "--slug", "crash", "--name", "Crash")
		if code != 0 {
			t.Fatal(errOut)
		}
		code, out, errOut := cliEnv(env, "token", "create", "--org", "crash", "--name", "t")
		if code != 0 {
			t.Fatal(errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		tok := lines[len(lines)-1]
		p := startLobby(t, env...)
		done := make(chan int, 1)
		go func() {
			req, _ := http.NewRequestWithContext(context.Background(), "POST", p.base+"/api/v1/invitations", strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "application/json")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				done <- 0
				return
			}
			resp.Body.Close()
			done <- resp.StatusCode
		}()
		select {
		case <-time.After(delay):
		case <-done:
		}
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
		db := openDB(t, dir)
		var invs, mails int
		if err := db.QueryRow(`SELECT count(*) FROM invitations`).Scan(&invs); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(`SELECT count(*) FROM outbox`).Scan(&mails); err != nil {
			t.Fatal(err)
		}
		if (invs != 0 && invs != 5000) || mails != invs {
			t.Fatalf("killed after %v: %d invitations and %d emails, want all 5,000 or none", delay, invs, mails)
		}
		outcomes[invs]++
	}
	if outcomes[5000] == 0 {
		t.Fatal("even the unhurried run did not commit the batch")
	}
	t.Logf("outcomes by invitations left: %v", outcomes)
}

func cliEnv(env []string, args ...string) (int, string, string) {
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		os.Setenv(k, v)
	}
	defer func() {
		for _, kv := range env {
			k, _, _ := strings.Cut(kv, "=")
			os.Unsetenv(k)
		}
	}()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// SIGTERM lets a request that is in flight finish, then Lobby exits cleanly.
func TestSIGTERMFinishesInFlightRequests(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := dataEnv(dir)
	if code, _, errOut := cliEnv(env, "org", "create", "--slug", "calm", "--name", "Calm"); code != 0 {
		t.Fatal(errOut)
	}
	_, out, _ := cliEnv(env, "token", "create", "--org", "calm", "--name", "t")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	tok := lines[len(lines)-1]
	p := startLobby(t, append(env, "LOBBY_LOG_LEVEL=info")...)
	emails := make([]string, 3000)
	for i := range emails {
		emails[i] = fmt.Sprintf(`"q%04d@calm.example"`, i)
	}
	body := `{"notify":true,"emails":[` + strings.Join(emails, ",") + `]}`
	done := make(chan int, 1)
	go func() {
		req, _ := http.NewRequest("POST", p.base+"/api/v1/invitations", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			done <- 0
			return
		}
		resp.Body.Close()
		done <- resp.StatusCode
	}()
	time.Sleep(30 * time.Millisecond)
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	status := <-done
	err := p.cmd.Wait()
	if status != 201 {
		t.Fatalf("the in-flight request got %d\n%s", status, p.out)
	}
	if err != nil {
		t.Fatalf("lobby exited with %v\n%s", err, p.out)
	}
	if !strings.Contains(p.out.String(), "shutting down") {
		t.Fatalf("no shutdown line:\n%s", p.out)
	}
	db := openDB(t, dir)
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM invitations`).Scan(&n); err != nil || n != 3000 {
		t.Fatalf("%d invitations after shutdown (%v)", n, err)
	}
	// Every email the batch queued is still there, waiting or sent; none was lost or failed.
	rows, err := db.Query(`SELECT status, count(*) FROM outbox GROUP BY status`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	by := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		_ = rows.Scan(&st, &n)
		by[st] = n
	}
	if by["queued"]+by["sent"] != 3000 {
		var why string
		_ = db.QueryRow(`SELECT last_error FROM outbox WHERE status = 'failed' LIMIT 1`).Scan(&why)
		t.Fatalf("outbox after shutdown: %v (%s)", by, why)
	}
}

// On start, Lobby prints a one-time setup link while nobody can sign in, and once somebody can,
// where to sign in instead.
func TestServeSaysWhereToStart(t *testing.T) {
	t.Parallel()
	env := dataEnv(t.TempDir())
	stop := func(p *lobbyProcess) string {
		t.Helper()
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		_ = p.cmd.Wait()
		return p.out.String()
	}
	p := startLobby(t, env...)
	if out := stop(p); !strings.Contains(out, "Open this link once") || !strings.Contains(out, p.base+"/setup/") {
		t.Fatalf("the first start printed no setup link:\n%s", out)
	}
	if code, _, errOut := cliEnv(env, "org", "create", "--slug", "first", "--name", "First"); code != 0 {
		t.Fatal(errOut)
	}
	if code, _, errOut := cliEnv(append(env, "LOBBY_ADMIN_PASSWORD=a long enough password"), "admin", "create", "--org", "first",
		"--email", "fay@first.example", "--name", "Fay"); code != 0 {
		t.Fatal(errOut)
	}
	p = startLobby(t, env...)
	if out := stop(p); !strings.Contains(out, "Lobby is set up: sign in at "+p.base+"/login") || strings.Contains(out, "/setup/") {
		t.Fatalf("a start with an owner:\n%s", out)
	}
}
