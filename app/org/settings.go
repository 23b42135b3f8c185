package org

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lobby/lobby/app/address"
	"github.com/lobby/lobby/app/store"
)

// SettingsPatch changes organization settings; nil fields stay as they are. SeatLimitSet with a
// nil SeatLimit removes the limit.
type SettingsPatch struct {
	Name                *string
	SeatLimitSet        bool
	SeatLimit           *int64
	InviteTTL           *time.Duration
	RemindBefore        *time.Duration
	DefaultRole         *string
	RequireTeam         *bool
	LogoURL             *string
	AccentColor         *string
	TermsURL            *string
	JoinEnabled         *bool
	JoinSlug            *string
	JoinAllowedDomains  *[]string
	JoinAllowedEmails   *[]string
	JoinAllowSubdomains *bool
	JoinRole            *string
	JoinTeams           *[]string
	// JoinLimitSet with a nil JoinLimit removes the limit; likewise JoinEndsAtSet.
	JoinLimitSet   bool
	JoinLimit      *int64
	JoinEndsAtSet  bool
	JoinEndsAt     *time.Time
	JoinApproval   *bool
	JoinNotify     *bool // email the admins each time someone joins through the page
	JoinWelcome    *string
	JoinRegenerate bool // a new random link; the old one stops working
	// SSORequiredDomains and SSOProvider: members with these domains must sign in with that
	// OpenID provider (sso.go).
	SSORequiredDomains *[]string
	SSOProvider        *string
}

// Settings reads the organization's settings.
func (s *Service) Settings(ctx context.Context, a Actor) (store.Org, error) {
	if err := a.require(PermMembersRead); err != nil {
		return store.Org{}, err
	}
	return s.Org(ctx, a.OrgID)
}

// UpdateSettings validates and applies a patch in one transaction: either every change in it
// is applied or, on the first invalid field, none.
func (s *Service) UpdateSettings(ctx context.Context, a Actor, p SettingsPatch) (store.Org, error) {
	if err := a.require(PermSettings); err != nil {
		return store.Org{}, err
	}
	var o store.Org
	err := s.tx(ctx, false, func(q store.Q) error {
		var err error
		if o, err = store.GetOrg(ctx, q, a.OrgID); err != nil {
			return notFound(err, "organization")
		}
		changed := []string{}
		if err := s.applySettings(ctx, q, &o, p, &changed); err != nil {
			return err
		}
		if err := store.UpdateOrg(ctx, q, o); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errf(CodeConflict, "join_slug", "the join link %q is taken; choose another", o.JoinSlug)
			}
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "settings.changed", "organization", o.ID, map[string]any{"changed": changed}, s.nowMs()))
	})
	s.joins.invalidate()
	return o, err
}

// maxInviteTTL is the longest invitation lifetime: 10 years.
const maxInviteTTL = 3650 * 24 * time.Hour

// inviteTTLMs is an invitation lifetime as stored, in whole milliseconds: any positive
// lifetime is accepted, and a fraction of a millisecond rounds up so it stays positive.
func inviteTTLMs(d time.Duration) int64 {
	return int64((d + time.Millisecond - 1) / time.Millisecond)
}

func (s *Service) applySettings(ctx context.Context, q store.Q, o *store.Org, p SettingsPatch, changed *[]string) error {
	mark := func(k string) { *changed = append(*changed, k) }
	if p.Name != nil {
		n := strings.TrimSpace(*p.Name)
		if n == "" || len([]rune(n)) > 100 || !oneLine(n) {
			return errf(CodeInvalidSetting, "name", "name: must be 1 to 100 characters, on one line")
		}
		o.Name = n
		mark("name")
	}
	if p.SeatLimitSet {
		if p.SeatLimit != nil && *p.SeatLimit < 0 {
			return errf(CodeInvalidSetting, "seat_limit", "seat_limit: must be 0 or more, or null for no limit")
		}
		o.SeatLimit = p.SeatLimit
		mark("seat_limit")
	}
	if p.InviteTTL != nil {
		if *p.InviteTTL <= 0 || *p.InviteTTL > maxInviteTTL {
			return errf(CodeInvalidSetting, "invite_ttl", "invite_ttl: must be longer than 0 and at most 87600h (10 years), got %s", *p.InviteTTL)
		}
		o.InviteTTLMs = inviteTTLMs(*p.InviteTTL)
		mark("invite_ttl")
	}
	if p.RemindBefore != nil {
		if *p.RemindBefore < 0 || p.RemindBefore.Milliseconds() >= o.InviteTTLMs {
			return errf(CodeInvalidSetting, "remind_before", "remind_before: must be 0 (off) or shorter than the invitation lifetime")
		}
		o.RemindBeforeMs = p.RemindBefore.Milliseconds()
		mark("remind_before")
	} else if p.InviteTTL != nil && o.RemindBeforeMs >= o.InviteTTLMs {
		// A shorter lifetime must not leave a reminder due before the invitation was sent.
		return errf(CodeInvalidSetting, "invite_ttl", "invite_ttl: must be longer than the reminder's %s before expiry; "+
			"shorten or turn off the reminder first", time.Duration(o.RemindBeforeMs)*time.Millisecond)
	}
	if p.DefaultRole != nil {
		r, err := roleByKey(ctx, q, o.ID, *p.DefaultRole)
		if err != nil {
			return asSetting(err, "default_role")
		}
		if r.Key == RoleOwner {
			return errf(CodeInvalidSetting, "default_role", "default_role: cannot be owner")
		}
		o.DefaultRole = r.Key
		mark("default_role")
	}
	if p.RequireTeam != nil {
		o.RequireTeam = *p.RequireTeam
		mark("require_team")
	}
	for _, u := range []struct {
		key string
		v   *string
		dst *string
	}{{"logo_url", p.LogoURL, &o.LogoURL}, {"terms_url", p.TermsURL, &o.TermsURL}} {
		if u.v == nil {
			continue
		}
		v := strings.TrimSpace(*u.v)
		if v != "" && !strings.HasPrefix(v, "https://") && !strings.HasPrefix(v, "http://") {
			return errf(CodeInvalidSetting, u.key, "%s: must start with https:// or http://", u.key)
		}
		*u.dst = v
		mark(u.key)
	}
	if p.AccentColor != nil {
		c := strings.TrimSpace(*p.AccentColor)
		if c != "" && !validColor(c) {
			return errf(CodeInvalidSetting, "accent_color", "accent_color: must be a color like #3b5bdb")
		}
		o.AccentColor = c
		mark("accent_color")
	}
	if err := s.applySSOSettings(o, p, mark); err != nil {
		return err
	}
	return s.applyJoinSettings(ctx, q, o, p, mark)
}

func (s *Service) applyJoinSettings(ctx context.Context, q store.Q, o *store.Org, p SettingsPatch, mark func(string)) error {
	if p.JoinSlug != nil {
		slug := strings.ToLower(strings.TrimSpace(*p.JoinSlug))
		if !validSlug(slug) {
			return errf(CodeInvalidSetting, "join_slug", "join_slug: must be 3 to 64 lower-case letters, digits or hyphens")
		}
		o.JoinSlug = slug
		mark("join_slug")
	}
	if p.JoinEnabled != nil {
		o.JoinEnabled = *p.JoinEnabled
		if o.JoinEnabled && o.JoinSlug == "" {
			o.JoinSlug = randomSlug()
		}
		mark("join_enabled")
	}
	if p.JoinAllowedDomains != nil {
		var out []string
		for i, d := range trimAll(*p.JoinAllowedDomains) {
			n, err := address.NormaliseDomain(d)
			if err != nil {
				return errf(CodeInvalidSetting, "join_allowed_domains", "join_allowed_domains: the domain %q (number %d) is not valid: %v", d, i+1, err)
			}
			out = append(out, n)
		}
		o.JoinAllowedDomains = out
		mark("join_allowed_domains")
	}
	if p.JoinAllowedEmails != nil {
		var out []string
		for i, e := range trimAll(*p.JoinAllowedEmails) {
			n, err := address.Parse(e)
			if err != nil {
				return errf(CodeInvalidSetting, "join_allowed_emails", "join_allowed_emails: the address %q (number %d) is not valid: %v", e, i+1, err)
			}
			out = append(out, n)
		}
		o.JoinAllowedEmails = out
		mark("join_allowed_emails")
	}
	if p.JoinAllowSubdomains != nil {
		o.JoinAllowSubdomains = *p.JoinAllowSubdomains
		mark("join_allow_subdomains")
	}
	if p.JoinRole != nil {
		r, err := roleByKey(ctx, q, o.ID, *p.JoinRole)
		if err != nil {
			return asSetting(err, "join_role")
		}
		if IsAdminRole(r) {
			return errf(CodeInvalidSetting, "join_role", "join_role: people joining by link cannot get the %s role, which can manage the organization", r.Name)
		}
		o.JoinRole = r.Key
		mark("join_role")
	}
	if p.JoinTeams != nil {
		teams, err := resolveTeams(ctx, q, o.ID, *p.JoinTeams)
		if err != nil {
			return asSetting(err, "join_teams")
		}
		o.JoinTeams = names(teams)
		mark("join_teams")
	}
	return applyJoinLimits(o, p, mark)
}

func applyJoinLimits(o *store.Org, p SettingsPatch, mark func(string)) error {
	if p.JoinRegenerate {
		o.JoinSlug = randomSlug()
		mark("join_slug")
	}
	if p.JoinLimitSet {
		if p.JoinLimit != nil && *p.JoinLimit < 0 {
			return errf(CodeInvalidSetting, "join_limit", "join_limit: must be 0 or more, or null for no limit")
		}
		o.JoinLimit = p.JoinLimit
		mark("join_limit")
	}
	if p.JoinEndsAtSet {
		o.JoinEndsAt = nil
		if p.JoinEndsAt != nil {
			ms := p.JoinEndsAt.UnixMilli()
			o.JoinEndsAt = &ms
		}
		mark("join_ends_at")
	}
	if p.JoinApproval != nil {
		o.JoinApproval = *p.JoinApproval
		mark("join_approval")
	}
	if p.JoinNotify != nil {
		o.JoinNotify = *p.JoinNotify
		mark("join_notify")
	}
	if p.JoinWelcome != nil {
		w := strings.TrimSpace(*p.JoinWelcome)
		if len([]rune(w)) > 2000 {
			return errf(CodeInvalidSetting, "join_welcome", "join_welcome: at most 2,000 characters")
		}
		o.JoinWelcome = w
		mark("join_welcome")
	}
	return nil
}

func validColor(c string) bool {
	if len(c) != 7 || c[0] != '#' {
		return false
	}
	_, err := fmt.Sscanf(c[1:], "%x", new(uint32))
	return err == nil && strings.Trim(strings.ToLower(c[1:]), "0123456789abcdef") == ""
}
