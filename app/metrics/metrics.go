// Package metrics holds Lobby's Prometheus collectors in one registry, so every package counts
// into the same place and /metrics shows them all. It imports nothing of Lobby.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the set of collectors of one Lobby instance.
type Metrics struct {
	Registry *prometheus.Registry
	// Invitations counts invitation outcomes: created, accepted, expired, revoked, resent, refused.
	Invitations *prometheus.CounterVec
	// Mail counts delivery attempts by result: sent, retry, failed.
	Mail *prometheus.CounterVec
	// JobRuns counts cron job runs by job and result: ok, error, skipped.
	JobRuns *prometheus.CounterVec
	// HTTPDuration observes request latency by route pattern, method and status class.
	HTTPDuration *prometheus.HistogramVec
}

// New makes a fresh registry with Go and process collectors and Lobby's own.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Invitations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lobby_invitations_total", Help: "Invitations by outcome.",
		}, []string{"outcome"}),
		Mail: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lobby_mail_deliveries_total", Help: "Mail delivery attempts by result.",
		}, []string{"result"}),
		JobRuns: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lobby_job_runs_total", Help: "Cron job runs by job and result.",
		}, []string{"job", "result"}),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "lobby_http_request_duration_seconds",
			Help:    "HTTP request latency by route, method and status class.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"route", "method", "status"}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.Invitations, m.Mail, m.JobRuns, m.HTTPDuration,
	)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
}
