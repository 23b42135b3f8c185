package api

import (
	"fmt"
	"time"

	"github.com/lobby/lobby/app/store"
)

// settingsJSON is the organization's settings as the API shows them.
type settingsJSON struct {
	Name      string `json:"name"`
	Slug      string `json:"slug"`
	SeatLimit *int64 `json:"seat_limit"`
	SeatsUsed int64  `json:"seats_used"`
	// Warnings say what a saved setting means that its caller may not expect.
	Warnings            []string `json:"warnings,omitempty"`
	InviteTTL           string   `json:"invite_ttl"`
	RemindBefore        string   `json:"remind_before"`
	DefaultRole         string   `json:"default_role"`
	RequireTeam         bool     `json:"require_team"`
	LogoURL             string   `json:"logo_url"`
	AccentColor         string   `json:"accent_color"`
	TermsURL            string   `json:"terms_url"`
	JoinEnabled         bool     `json:"join_enabled"`
	JoinSlug            string   `json:"join_slug"`
	JoinURL             string   `json:"join_url"`
	JoinAllowedDomains  []string `json:"join_allowed_domains"`
	JoinAllowedEmails   []string `json:"join_allowed_emails"`
	JoinAllowSubdomains bool     `json:"join_allow_subdomains"`
	JoinRole            string   `json:"join_role"`
	JoinTeams           []string `json:"join_teams"`
	JoinLimit           *int64   `json:"join_limit"`
	JoinEndsAt          *string  `json:"join_ends_at"`
	JoinApproval        bool     `json:"join_approval"`
	JoinNotify          bool     `json:"join_notify"`
	JoinWelcome         string   `json:"join_welcome"`
	SSORequiredDomains  []string `json:"sso_required_domains"`
	SSOProvider         string   `json:"sso_provider"`
}

func (h handler) toSettingsJSON(o store.Org, used int64) settingsJSON {
	s := settingsJSON{Name: o.Name, Slug: o.Slug, SeatLimit: o.SeatLimit, SeatsUsed: used,
		InviteTTL: fmtDuration(o.InviteTTLMs), RemindBefore: fmtDuration(o.RemindBeforeMs), DefaultRole: o.DefaultRole,
		RequireTeam: o.RequireTeam, LogoURL: o.LogoURL, AccentColor: o.AccentColor, TermsURL: o.TermsURL,
		JoinEnabled: o.JoinEnabled, JoinSlug: o.JoinSlug, JoinAllowedDomains: o.JoinAllowedDomains,
		JoinAllowedEmails: o.JoinAllowedEmails, JoinAllowSubdomains: o.JoinAllowSubdomains, JoinRole: o.JoinRole,
		JoinTeams: o.JoinTeams, JoinLimit: o.JoinLimit, JoinEndsAt: optTime(o.JoinEndsAt), JoinApproval: o.JoinApproval,
		JoinNotify: o.JoinNotify, JoinWelcome: o.JoinWelcome, SSORequiredDomains: o.SSORequiredDomains, SSOProvider: o.SSOProvider}
	if o.JoinSlug != "" {
		s.JoinURL = h.BaseURL + "/join/" + o.JoinSlug
	}
	if o.SeatLimit != nil && used > *o.SeatLimit {
		s.Warnings = append(s.Warnings, fmt.Sprintf("seat_limit %d is below the %d seats in use: nobody new can join or be invited "+
			"until enough members are deactivated or invitations revoked", *o.SeatLimit, used))
	}
	return s
}

// fmtDuration writes milliseconds as a Go duration without trailing zero units ("168h", "90m").
func fmtDuration(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	s := d.String()
	for _, suf := range []string{"0s", "0m"} {
		if len(s) > len(suf) && s[len(s)-len(suf):] == suf && (s[len(s)-len(suf)-1] < '0' || s[len(s)-len(suf)-1] > '9') {
			s = s[:len(s)-len(suf)]
		}
	}
	return s
}
