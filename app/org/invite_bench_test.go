package org_test

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/lobby/lobby/app/org"
)

// BenchmarkInvite100 invites batches of 100 new addresses with mail, as the API's batch
// invitation does, without HTTP: the writer's share of the 20,000 invitations/s target.
func BenchmarkInvite100(b *testing.B) {
	e := newBenchEnv(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		emails := make([]string, 100)
		for k := range emails {
			emails[k] = fmt.Sprintf("b%d-%d@example%d.com", i, k, k%7)
		}
		res, err := e.svc.Invite(e.ctx, e.owner, org.InviteRequest{Emails: emails, Notify: true})
		if err != nil || len(res.Created) != 100 {
			b.Fatalf("invite: %v", err)
		}
	}
	b.ReportMetric(float64(b.N*100)/b.Elapsed().Seconds(), "invitations/s")
}

// BenchmarkInviteOneEach32 invites one new address per call from 32 goroutines at once, as
// the API's single-invitation latency run does, without HTTP: calls queued together run as
// one batch (see Service.Invite).
func BenchmarkInviteOneEach32(b *testing.B) {
	e := newBenchEnv(b)
	var n atomic.Int64
	b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0))) // 32 goroutines
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			email := fmt.Sprintf("one%d@example.com", n.Add(1))
			res, err := e.svc.Invite(e.ctx, e.owner, org.InviteRequest{Emails: []string{email}, Notify: true})
			if err != nil || len(res.Created) != 1 {
				b.Errorf("invite %s: %+v, %v", email, res, err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "invitations/s")
}
