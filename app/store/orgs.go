package store

import (
	"context"
	"database/sql"
)

// Org is an organization and its settings.
type Org struct {
	ID, Slug, Name      string
	SeatLimit           *int64
	InviteTTLMs         int64
	RemindBeforeMs      int64
	DefaultRole         string
	RequireTeam         bool
	LogoURL             string
	AccentColor         string
	TermsURL            string
	JoinEnabled         bool
	JoinSlug            string
	JoinAllowedDomains  []string
	JoinAllowedEmails   []string
	JoinAllowSubdomains bool
	JoinRole            string
	JoinTeams           []string
	JoinLimit           *int64
	JoinEndsAt          *int64
	JoinApproval        bool
	JoinWelcome         string
	JoinNotify          bool // admins are emailed each time someone joins through the page
	// SSORequiredDomains and SSOProvider: members with these domains must sign in with that
	// OpenID provider (its configured id).
	SSORequiredDomains []string
	SSOProvider        string
	CreatedAt          int64
}

const orgColumns = `id, slug, name, seat_limit, invite_ttl_ms, remind_before_ms, default_role, require_team,
 logo_url, accent_color, terms_url, join_enabled, join_slug, join_allowed_domains, join_allowed_emails,
 join_allow_subdomains, join_role, join_teams, join_limit, join_ends_at, join_approval, join_welcome,
 sso_required_domains, sso_provider, join_notify, created_at`

func scanOrg(s scanner) (Org, error) {
	var o Org
	var seat, jl, je sql.NullInt64
	var js sql.NullString
	var dom, em, teams, sso string
	err := s.Scan(&o.ID, &o.Slug, &o.Name, &seat, &o.InviteTTLMs, &o.RemindBeforeMs, &o.DefaultRole, &o.RequireTeam,
		&o.LogoURL, &o.AccentColor, &o.TermsURL, &o.JoinEnabled, &js, &dom, &em,
		&o.JoinAllowSubdomains, &o.JoinRole, &teams, &jl, &je, &o.JoinApproval, &o.JoinWelcome,
		&sso, &o.SSOProvider, &o.JoinNotify, &o.CreatedAt)
	if err != nil {
		return o, notFound(err)
	}
	o.SeatLimit, o.JoinLimit, o.JoinEndsAt = nullInt(seat), nullInt(jl), nullInt(je)
	o.JoinSlug = js.String
	o.JoinAllowedDomains, o.JoinAllowedEmails, o.JoinTeams = splitList(dom), splitList(em), splitList(teams)
	o.SSORequiredDomains = splitList(sso)
	return o, nil
}

func orgArgs(o Org) []any {
	return []any{o.Slug, o.Name, intArg(o.SeatLimit), o.InviteTTLMs, o.RemindBeforeMs, o.DefaultRole, o.RequireTeam,
		o.LogoURL, o.AccentColor, o.TermsURL, o.JoinEnabled, strArg(o.JoinSlug), joinList(o.JoinAllowedDomains),
		joinList(o.JoinAllowedEmails), o.JoinAllowSubdomains, o.JoinRole, joinList(o.JoinTeams), intArg(o.JoinLimit),
		intArg(o.JoinEndsAt), o.JoinApproval, o.JoinWelcome, joinList(o.SSORequiredDomains), o.SSOProvider, o.JoinNotify}
}

// CreateOrg inserts an organization; a taken slug is ErrConflict.
func CreateOrg(ctx context.Context, q Q, o Org) error {
	args := append([]any{o.ID}, orgArgs(o)...)
	args = append(args, o.CreatedAt)
	_, err := q.ExecContext(ctx, `INSERT INTO organizations (`+orgColumns+`) VALUES (`+placeholders(26)+`)`, args...)
	if isUnique(err) {
		return ErrConflict
	}
	return err
}

// UpdateOrg writes every setting of o back.
func UpdateOrg(ctx context.Context, q Q, o Org) error {
	args := append(orgArgs(o), o.ID)
	res, err := q.ExecContext(ctx, `UPDATE organizations SET slug = ?, name = ?, seat_limit = ?, invite_ttl_ms = ?,
 remind_before_ms = ?, default_role = ?, require_team = ?, logo_url = ?, accent_color = ?, terms_url = ?,
 join_enabled = ?, join_slug = ?, join_allowed_domains = ?, join_allowed_emails = ?, join_allow_subdomains = ?,
 join_role = ?, join_teams = ?, join_limit = ?, join_ends_at = ?, join_approval = ?, join_welcome = ?,
 sso_required_domains = ?, sso_provider = ?, join_notify = ? WHERE id = ?`, args...)
	if isUnique(err) {
		return ErrConflict
	}
	return affectedOne(res, err)
}

// GetOrg reads one organization by id.
func GetOrg(ctx context.Context, q Q, id string) (Org, error) {
	return scanOrg(q.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organizations WHERE id = ?`, id))
}

// GetOrgBySlug reads one organization by its slug.
func GetOrgBySlug(ctx context.Context, q Q, slug string) (Org, error) {
	return scanOrg(q.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organizations WHERE slug = ?`, slug))
}

// GetOrgByJoinSlug reads the organization whose join link uses slug.
func GetOrgByJoinSlug(ctx context.Context, q Q, slug string) (Org, error) {
	return scanOrg(q.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM organizations WHERE join_slug = ?`, slug))
}

// affectedOne turns "no row changed" into ErrNotFound.
func affectedOne(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}
