package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/store"
)

type jobsView struct{ Jobs []jobRow }

// jobRow is a cron job as the Jobs screen shows it, in words (jobs_words.go).
type jobRow struct {
	Name, Title, Description, Schedule string
	Next                               time.Time
	LastRun                            *store.JobRun
	LastSummary                        string
}

// consoleJobs handles GET /console/{slug}/jobs: each cron job with its schedule and last run.
// Jobs belong to the whole instance, so only owners see them (org.Actor.MayRunJobs).
func (h handler) consoleJobs(c *fiber.Ctx) error {
	if !consoleWho(c).MayRunJobs() || h.Jobs == nil {
		return backError(c, "", "Only owners can see the jobs.")
	}
	var v jobsView
	for _, j := range h.Jobs.Jobs() {
		r := jobRow{Name: j.Name, Title: jobTitle(j.Name), Description: j.Description, Schedule: scheduleWords(j.Spec),
			Next: j.Next, LastRun: j.LastRun}
		if j.LastRun != nil && j.LastRun.Summary != "" {
			r.LastSummary = jobSentence(j.LastRun.Summary)
		}
		v.Jobs = append(v.Jobs, r)
	}
	return h.console(c, fiber.StatusOK, "jobs", "jobs", v, "")
}

// consoleJobRun handles POST /console/{slug}/jobs/{name}/run, and records the run in the
// organization's audit log.
func (h handler) consoleJobRun(c *fiber.Ctx) error {
	a := consoleWho(c)
	if !a.MayRunJobs() || h.Jobs == nil {
		return backError(c, "", "Only owners can run jobs.")
	}
	run, runErr := h.Jobs.RunNow(ctx(c), c.Params("name"))
	if err := h.Org.RecordJobRun(ctx(c), a, c.Params("name"), run.Summary, runErr); err != nil {
		return err
	}
	if runErr != nil {
		return backError(c, "/jobs", "The job did not finish: "+runErr.Error())
	}
	return back(c, "/jobs", jobSentence(run.Summary))
}
