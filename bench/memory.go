package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// benchMemory measures the resident memory of a real `lobby serve` process, idle and after
// it served lists of a large organization.
func benchMemory(ctx context.Context, e *env) result {
	sz := e.Sz
	r := result{Title: "Resident memory of `lobby serve`",
		What: fmt.Sprintf("the resident set size (VmRSS) of a real `lobby serve` process idle after start, and after %s members "+
			"exist and a few member lists were served; also its peak (VmHWM) and the Go heap in use.", num(float64(sz.Members))),
		How: fmt.Sprintf("the binary built with `go build -trimpath -ldflags \"-s -w\"` runs as a child process on a fresh "+
			"libSQL file with the jobs off and mail to files. The organization and API token come from `org`. Idle: two seconds "+
			"after /healthz first answers. Then %s people and their memberships are inserted with direct SQL (multi-row "+
			"`INSERT … SELECT`) by this process, and the child serves the first 5 pages of `GET /api/v1/members?limit=1000`, "+
			"a search `?q=member0004` and `?status=active&limit=1000`; read one second later from /proc/PID/status; "+
			"the heap from the child's own /metrics (`go_memstats_heap_inuse_bytes`).", num(float64(sz.Members)))}
	bin, err := e.build(ctx, true)
	if err != nil {
		r.Err = err
		return r
	}
	dir, err := os.MkdirTemp("", "lobby-bench-mem-")
	if err != nil {
		r.Err = err
		return r
	}
	defer os.RemoveAll(dir)
	if err := memoryRun(ctx, bin, dir, sz, &r); err != nil {
		r.Err = err
	}
	return r
}

func memoryRun(ctx context.Context, bin, dir string, sz sizes, r *result) error {
	dbURL := "file:" + filepath.Join(dir, "lobby.db")
	db, err := store.Open(ctx, dbURL, store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return err
	}
	svc := org.New(db, org.Options{})
	o, err := svc.CreateOrg(ctx, org.SystemActor("cli", "bench", ""), "bench", "Bench Org")
	if err != nil {
		return err
	}
	tok, err := svc.CreateToken(ctx, org.SystemActor("cli", "bench", o.ID), "api", "bench")
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	base := "http://" + addr
	cmd := exec.Command(bin, "serve")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Env = append(os.Environ(), "LOBBY_DATABASE_URL="+dbURL, "LOBBY_MAIL_DIR="+filepath.Join(dir, "mail"),
		"LOBBY_SERVER_ADDR="+addr, "LOBBY_SERVER_BASE_URL="+base, "LOBBY_JOBS_ENABLED=false", "LOBBY_LOG_LEVEL=warn")
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	}()
	c, load := newClient(), newLoad()
	defer load.CloseIdleConnections()
	if err := waitHealthy(ctx, c, base, 20*time.Second); err != nil {
		return fmt.Errorf("%w\n%s", err, out.String())
	}
	time.Sleep(2 * time.Second)
	pid := cmd.Process.Pid
	idle := procKB(pid, "VmRSS")
	progress("memory: idle VmRSS %d kB; seeding %s members.", idle, num(float64(sz.Members)))
	member, err := roleID(ctx, db, o.ID, org.RoleMember)
	if err != nil {
		return err
	}
	if err := seedMembers(ctx, db, o.ID, member, sz.Members, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("seeding members: %w", err)
	}
	var page struct {
		Items      []struct{ ID string } `json:"items"`
		NextCursor string                `json:"next_cursor"`
	}
	cursor, served := "", 0
	for range 5 {
		if _, err := apiJSON(ctx, load, base, tok.Plain, "GET", "/api/v1/members?limit=1000&cursor="+cursor, nil, &page); err != nil {
			return err
		}
		served += len(page.Items)
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	for _, p := range []string{"/api/v1/members?q=member0004", "/api/v1/members?status=active&limit=1000"} {
		if _, err := apiJSON(ctx, load, base, tok.Plain, "GET", p, nil, nil); err != nil {
			return err
		}
	}
	time.Sleep(time.Second)
	after, peak := procKB(pid, "VmRSS"), procKB(pid, "VmHWM")
	anon, file := procKB(pid, "RssAnon"), procKB(pid, "RssFile")
	heap := scrapeMetric(ctx, c, base+"/metrics", "go_memstats_heap_inuse_bytes")
	if idle <= 0 || after <= 0 {
		return fmt.Errorf("could not read VmRSS of process %d", pid)
	}
	r.add("Idle after start (VmRSS)", kib(idle))
	r.add(fmt.Sprintf("After %s members and the lists (VmRSS)", num(float64(sz.Members))), kib(after))
	r.add("Of which the process's own memory (RssAnon) / pages of files it maps (RssFile: the binary and the log's shared index)",
		kib(anon)+" / "+kib(file))
	r.add("Peak (VmHWM)", kib(peak))
	r.add("Go heap in use after the lists", fmt.Sprintf("%.1f MiB", heap/(1<<20)))
	r.add("Members served by the 5 pages", num(float64(served)))
	r.add("Ratio after / idle", ratio(float64(after), float64(idle)))
	return nil
}

// seedMembers inserts n people and their active memberships with direct SQL.
func seedMembers(ctx context.Context, db *store.DB, orgID, roleID string, n int, now int64) error {
	const chunk = 50_000
	for from := 0; from < n; from += chunk {
		to := min(from+chunk, n) - 1
		err := db.Tx(ctx, func(q store.Q) error {
			if _, err := q.ExecContext(ctx, `WITH RECURSIVE seq(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM seq WHERE n < ?)
INSERT INTO users (id, email, email_norm, name, email_verified_at, created_at)
SELECT printf('00000000-0000-7000-a000-%012d', n), printf('member%07d@members.example', n),
 printf('member%07d@members.example', n), printf('Member %d', n), ?, ? FROM seq`, from, to, now, now); err != nil {
				return err
			}
			_, err := q.ExecContext(ctx, `WITH RECURSIVE seq(n) AS (SELECT ? UNION ALL SELECT n + 1 FROM seq WHERE n < ?)
INSERT INTO memberships (id, org_id, user_id, role_id, status, source, joined_at, updated_at)
SELECT printf('00000000-0000-7000-b000-%012d', n), ?, printf('00000000-0000-7000-a000-%012d', n), ?, 'active', 'admin', ?, ?
FROM seq`, from, to, orgID, roleID, now, now)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// waitHealthy polls /healthz until it answers 200 or the time is up.
func waitHealthy(ctx context.Context, c *http.Client, base string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if resp, err := c.Get(base + "/healthz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("lobby serve did not answer /healthz within %s", limit)
}

// procKB reads a "Key: N kB" line of /proc/PID/status; -1 when it cannot.
func procKB(pid int, key string) int64 {
	v := procField(fmt.Sprintf("/proc/%d/status", pid), key)
	n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(v, "kB")), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

func kib(kb int64) string { return fmt.Sprintf("%.1f MiB", float64(kb)/1024) }

// scrapeMetric reads one unlabelled gauge from a Prometheus text page; 0 when absent.
func scrapeMetric(ctx context.Context, c *http.Client, url, name string) float64 {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f
		}
	}
	return 0
}
