package web

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// jobTitles name the cron jobs app registers; a job without one is shown by its name.
var jobTitles = map[string]string{
	"expire": "Expire invitations",
	"remind": "Send reminders",
	"purge":  "Clean up old records",
}

func jobTitle(name string) string { return wordFor(jobTitles, name) }

// scheduleWords says when a job runs: "Every minute" for "@every 1m"; a cron expression,
// which has no short reading, is shown as it is.
func scheduleWords(spec string) string {
	switch spec {
	case "@hourly":
		return "Every hour"
	case "@daily", "@midnight":
		return "Every day at midnight UTC"
	case "@weekly":
		return "Every Sunday at midnight UTC"
	case "@monthly":
		return "On the first of every month at midnight UTC"
	case "@yearly", "@annually":
		return "Every 1 January at midnight UTC"
	}
	if every, ok := strings.CutPrefix(spec, "@every "); ok {
		if d, err := time.ParseDuration(every); err == nil && d > 0 {
			return "Every " + durationWords(d)
		}
	}
	return "On the cron schedule " + spec
}

// durationWords writes a duration in its largest whole unit: "minute", "10 minutes", "90 minutes".
func durationWords(d time.Duration) string {
	for _, u := range []struct {
		d    time.Duration
		name string
	}{{24 * time.Hour, "day"}, {time.Hour, "hour"}, {time.Minute, "minute"}, {time.Second, "second"}} {
		if d%u.d == 0 {
			if n := d / u.d; n != 1 {
				return strconv.FormatInt(int64(n), 10) + " " + u.name + "s"
			}
			return u.name
		}
	}
	return d.String()
}

// transactions is the technical tail of the expire job's summary ("in 3 transactions"), kept
// in the job history and the CLI's output.
var transactions = regexp.MustCompile(` in \d+ transactions?$`)

// jobSentence makes a job's summary a sentence for the console: "expired 0 invitations in 1
// transactions" reads "Expired 0 invitations."
func jobSentence(summary string) string {
	s := strings.TrimSpace(transactions.ReplaceAllString(summary, ""))
	if s == "" {
		return "Done."
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
