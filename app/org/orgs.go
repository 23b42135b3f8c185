package org

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/lobby/lobby/app/store"
)

// DefaultInviteTTL is how long a new organization's invitations stay valid: 7 days.
const DefaultInviteTTL int64 = 7 * 24 * 3600 * 1000

var slugRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$`)

// validSlug reports whether s can be an organization or join-link slug: 3 to 64 lower-case
// letters, digits and inner hyphens.
func validSlug(s string) bool { return slugRE.MatchString(s) }

// CreateOrg makes an organization with the built-in roles. actor is recorded in the audit log.
func (s *Service) CreateOrg(ctx context.Context, a Actor, slug, name string) (store.Org, error) {
	var o store.Org
	err := s.tx(ctx, false, func(q store.Q) error {
		var err error
		o, err = s.createOrg(ctx, q, a, slug, name)
		return err
	})
	return o, err
}

// createOrg validates and inserts an organization and its roles inside a transaction.
func (s *Service) createOrg(ctx context.Context, q store.Q, a Actor, slug, name string) (store.Org, error) {
	slug = strings.TrimSpace(slug)
	name = strings.TrimSpace(name)
	if !validSlug(slug) {
		return store.Org{}, errf(CodeInvalid, "slug", "the short name %q must be 3 to 64 lower-case letters, digits or hyphens", slug)
	}
	if name == "" || len([]rune(name)) > 100 || !oneLine(name) {
		return store.Org{}, errf(CodeInvalid, "name", "the organization name must be 1 to 100 characters, on one line")
	}
	now := s.nowMs()
	o := store.Org{ID: store.NewID(), Slug: slug, Name: name, InviteTTLMs: DefaultInviteTTL, DefaultRole: RoleMember,
		JoinRole: RoleMember, CreatedAt: now}
	if err := store.CreateOrg(ctx, q, o); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return o, errf(CodeConflict, "slug", "an organization with the short name %q already exists", slug)
		}
		return o, err
	}
	for _, r := range builtinRoles(o.ID, now) {
		if err := store.CreateRole(ctx, q, r); err != nil {
			return o, err
		}
	}
	a.OrgID = o.ID
	return o, s.writeAudit(ctx, q, s.audit(a, "organization.created", "organization", o.ID, map[string]any{"slug": slug}, now))
}

// OrgBySlug reads an organization by slug.
func (s *Service) OrgBySlug(ctx context.Context, slug string) (store.Org, error) {
	o, err := store.GetOrgBySlug(ctx, s.db.R, slug)
	return o, notFound(err, "organization "+slug)
}

// Org reads an organization by id.
func (s *Service) Org(ctx context.Context, id string) (store.Org, error) {
	o, err := store.GetOrg(ctx, s.db.R, id)
	return o, notFound(err, "organization")
}

// Seats reports how many seats are in use (active members plus live pending invitations) and
// the limit (nil when there is none).
func (s *Service) Seats(ctx context.Context, orgID string) (used int64, limit *int64, err error) {
	o, err := store.GetOrg(ctx, s.db.R, orgID)
	if err != nil {
		return 0, nil, notFound(err, "organization")
	}
	used, err = seatsUsed(ctx, s.db.R, orgID, s.nowMs())
	return used, o.SeatLimit, err
}

// seatsUsed counts active members plus pending invitations that have not expired.
func seatsUsed(ctx context.Context, q store.Q, orgID string, now int64) (int64, error) {
	m, err := store.CountActiveMembers(ctx, q, orgID)
	if err != nil {
		return 0, err
	}
	p, err := store.CountPendingInvitations(ctx, q, orgID, now)
	return m + p, err
}

// freeSeats returns how many more seats may be taken inside the transaction q, or -1 for no
// limit, and how many are in use (0 without a limit, which needs no count).
func freeSeats(ctx context.Context, q store.Q, o store.Org, now int64) (free, used int64, err error) {
	if o.SeatLimit == nil {
		return -1, 0, nil
	}
	used, err = seatsUsed(ctx, q, o.ID, now)
	if err != nil {
		return 0, 0, err
	}
	return max(*o.SeatLimit-used, 0), used, nil
}

// seatError says the organization has no free seat, with used seats in use. A limit may be
// lowered below the seats in use (it stops newcomers, nobody is removed), so used can be more
// than the limit, and the message then says both numbers.
func seatError(o store.Org, used int64) *Error {
	if used > *o.SeatLimit {
		return errf(CodeSeatLimit, "", "%s has no seats left: %d in use, limit %d; free seats or raise the limit", o.Name, used, *o.SeatLimit)
	}
	return errf(CodeSeatLimit, "", "%s has used all %d of its seats; free a seat or raise the limit", o.Name, *o.SeatLimit)
}

// takeSeat fails with seat_limit_reached when the organization has no free seat.
func takeSeat(ctx context.Context, q store.Q, o store.Org, now int64) error {
	free, used, err := freeSeats(ctx, q, o, now)
	if err != nil {
		return err
	}
	if free == 0 {
		return seatError(o, used)
	}
	return nil
}
