package org

import (
	"context"

	"github.com/lobby/lobby/app/store"
)

// digestMax is how many addresses an expiry notice names; the rest it counts.
const digestMax = 50

// digests gathers an expire run's notices, one per inviter: the first digestMax addresses
// and how many expired in all. It keeps no more than that, so a run over 100,000 invitations
// holds a few hundred strings, not one per invitation (which grew the heap the collector
// walks, and the writes waiting on it). seen holds the run's invitation ids only when an
// earlier run's are to be added (see ExpireDue).
type digests struct {
	byKey map[digestKey]*digest
	order []digestKey
	seen  map[string]bool
}

type digestKey struct{ org, email string }

type digest struct {
	emails []string
	n      int
}

func newDigests(trackIDs bool) *digests {
	d := &digests{byKey: map[digestKey]*digest{}}
	if trackIDs {
		d.seen = map[string]bool{}
	}
	return d
}

// add counts one expired invitation, once however often it is added when ids are tracked.
func (d *digests) add(e store.Expired) {
	if d.seen != nil {
		if d.seen[e.ID] {
			return
		}
		d.seen[e.ID] = true
	}
	if e.InviterEmail == "" {
		return
	}
	k := digestKey{e.OrgID, e.InviterEmail}
	g := d.byKey[k]
	if g == nil {
		g = &digest{}
		d.byKey[k], d.order = g, append(d.order, k)
	}
	if len(g.emails) < digestMax {
		g.emails = append(g.emails, e.EmailNorm)
	}
	g.n++
}

// tellExpired queues one notice per inviter, and clears the mark of a run that has not told
// them in the same transaction.
func (s *Service) tellExpired(ctx context.Context, d *digests) error {
	return s.tx(ctx, len(d.order) > 0, func(q store.Q) error {
		now := s.nowMs()
		orgNames := map[string]string{}
		for _, k := range d.order {
			if _, ok := orgNames[k.org]; !ok {
				o, err := store.GetOrg(ctx, q, k.org)
				if err != nil {
					return err
				}
				orgNames[k.org] = o.Name
			}
			g := d.byKey[k]
			if err := s.mail(ctx, q, k.org, "", "expired_notice", k.email, map[string]any{
				"OrgName": orgNames[k.org], "InviteeEmail": g.emails[0], "InviteeEmails": g.emails, "More": g.n - len(g.emails),
				"ResendURL": s.link("/console/people?status=expired")}, now); err != nil {
				return err
			}
		}
		return store.ClearExpireUntold(ctx, q)
	})
}
