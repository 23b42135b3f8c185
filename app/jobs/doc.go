// Package jobs runs Lobby's named cron jobs (expire, remind, purge) on robfig/cron schedules,
// records every run in the database and lets a person run one by hand.
//
// Several Lobby processes may share one database: before a scheduled run a process takes the
// job's lease in job_leases until 90% of the way to the next tick, so each tick runs in one
// process only; the others count it as skipped. A second lease, "<name>:run", is held while
// the job body runs, scheduled or by hand, so a job never runs twice at once.
//
// The package knows nothing of what the jobs do: app registers them with functions of app/org.
// It must not write SQL of its own; it uses app/store.
package jobs
