package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/jobs"
)

type jobsView struct{ Jobs []jobs.Info }

// consoleJobs handles GET /console/{slug}/jobs: each cron job with its schedule and last run.
// Jobs belong to the whole instance, so only owners see them (org.Actor.MayRunJobs).
func (h handler) consoleJobs(c *fiber.Ctx) error {
	if !consoleWho(c).MayRunJobs() || h.Jobs == nil {
		return back(c, "", "Only owners can see the jobs.")
	}
	return h.console(c, fiber.StatusOK, "jobs", "jobs", jobsView{Jobs: h.Jobs.Jobs()}, "")
}

// consoleJobRun handles POST /console/{slug}/jobs/{name}/run, and records the run in the
// organization's audit log.
func (h handler) consoleJobRun(c *fiber.Ctx) error {
	a := consoleWho(c)
	if !a.MayRunJobs() || h.Jobs == nil {
		return back(c, "", "Only owners can run jobs.")
	}
	run, err := h.Jobs.RunNow(ctx(c), c.Params("name"))
	if err != nil {
		return back(c, "/jobs", "The job did not finish: "+err.Error())
	}
	if err := h.Org.RecordJobRun(ctx(c), a, c.Params("name"), run.Summary); err != nil {
		return err
	}
	return back(c, "/jobs", c.Params("name")+": "+run.Summary+" in "+itoa(run.DurationMs)+" ms.")
}
