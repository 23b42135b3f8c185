package web

import (
	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/jobs"
	"github.com/lobby/lobby/app/org"
)

type jobsView struct{ Jobs []jobs.Info }

// consoleJobs handles GET /console/{slug}/jobs: each cron job with its schedule and last run.
// Jobs belong to the whole instance, so only people who may change settings see them.
func (h handler) consoleJobs(c *fiber.Ctx) error {
	if !consoleWho(c).Can(org.PermSettings) || h.Jobs == nil {
		return back(c, "", "Only admins who manage settings can see the jobs.")
	}
	return h.console(c, fiber.StatusOK, "jobs", "jobs", jobsView{Jobs: h.Jobs.Jobs()}, "")
}

// consoleJobRun handles POST /console/{slug}/jobs/{name}/run.
func (h handler) consoleJobRun(c *fiber.Ctx) error {
	if !consoleWho(c).Can(org.PermSettings) || h.Jobs == nil {
		return back(c, "", "Only admins who manage settings can run jobs.")
	}
	run, err := h.Jobs.RunNow(ctx(c), c.Params("name"))
	if err != nil {
		return back(c, "/jobs", "The job did not finish: "+err.Error())
	}
	return back(c, "/jobs", c.Params("name")+": "+run.Summary+" in "+itoa(run.DurationMs)+" ms.")
}
