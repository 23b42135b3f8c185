package org_test

import (
	"fmt"
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
