package jobs_test

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/lobby/lobby/app/jobs"
)

// Schedules are read in UTC, as every time Lobby shows: on a server whose own zone is five and
// a half hours ahead, "@daily" still runs at midnight UTC. The zone is the process's, so the
// check runs in a child process started with TZ set.
func TestSchedulesAreUTC(t *testing.T) {
	if os.Getenv("LOBBY_JOBS_UTC_CHILD") == "1" {
		dbs := open(t, 1)
		s := jobs.New(dbs[0], jobs.Options{Logger: quiet})
		if err := s.Register("daily", "@daily", "Runs daily.", func(context.Context) (string, error) { return "", nil }); err != nil {
			t.Fatal(err)
		}
		s.Start(context.Background())
		defer s.Stop(context.Background())
		next := s.Jobs()[0].Next.UTC()
		if next.Hour() != 0 || next.Minute() != 0 {
			t.Fatalf("@daily runs next at %s UTC (the server's zone is %s)", next.Format(time.TimeOnly), time.Local)
		}
		return
	}
	if _, err := os.Stat("/usr/share/zoneinfo/Asia/Kolkata"); err != nil {
		t.Skip("this machine has no time zone data (tzdata) for the check") // the CI machine has it
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSchedulesAreUTC$", "-test.count=1")
	cmd.Env = append(os.Environ(), "LOBBY_JOBS_UTC_CHILD=1", "TZ=Asia/Kolkata")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}
