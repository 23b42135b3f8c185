package org

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lobby/lobby/app/address"
	"github.com/lobby/lobby/app/store"
)

// CodeSSORequired refuses a way of signing in that the person's organization does not allow:
// its Field is the id of the provider they must use, so a page can show its button.
const CodeSSORequired = "sso_required"

// SetSSOProviders tells the Service which OpenID providers are configured, id → display
// name: settings may name only these, and messages use the names. Call it before serving.
func (s *Service) SetSSOProviders(names map[string]string) { s.ssoProviders = names }

func (s *Service) ssoName(id string) string {
	if n := s.ssoProviders[id]; n != "" {
		return n
	}
	return id
}

// CheckPasswordLogin refuses password sign-in for an active member of an organization that
// requires an OpenID provider for their address's domain. Call it only after the password was
// verified, so the answer reveals nothing about unknown addresses.
func (s *Service) CheckPasswordLogin(ctx context.Context, u store.User) error {
	return s.checkLoginMethod(ctx, u, "")
}

// checkLoginMethod allows providerID ("" for a password) unless one of u's organizations
// requires another provider for u's domain. A requirement naming a provider that is no longer
// configured is skipped with a warning, so nobody is locked out by a config change.
func (s *Service) checkLoginMethod(ctx context.Context, u store.User, providerID string) error {
	rules, err := store.SSORulesOfUser(ctx, s.db.R, u.ID)
	if err != nil {
		return err
	}
	var first *store.SSORule
	for i, r := range rules {
		if !address.DomainAllowed(u.EmailNorm, r.Domains, false) {
			continue
		}
		if _, ok := s.ssoProviders[r.Provider]; !ok {
			s.log.Warn("An organization requires an OpenID provider that is not configured; other sign-in stays allowed for its members.",
				"org_id", r.OrgID, "provider", r.Provider)
			continue
		}
		if r.Provider == providerID {
			return nil
		}
		if first == nil {
			first = &rules[i]
		}
	}
	if first == nil {
		return nil
	}
	return &Error{Code: CodeSSORequired, Field: first.Provider, Message: fmt.Sprintf("%s asks people with @%s addresses to sign in with %s",
		first.OrgName, address.Domain(u.EmailNorm), s.ssoName(first.Provider))}
}

// requiredProvider is the provider o requires for the address email, or "".
func (s *Service) requiredProvider(o store.Org, email string) string {
	if _, ok := s.ssoProviders[o.SSOProvider]; !ok || !address.DomainAllowed(email, o.SSORequiredDomains, false) {
		return ""
	}
	return o.SSOProvider
}

func (s *Service) ssoRequired(o store.Org, provider, email string) error {
	return &Error{Code: CodeSSORequired, Field: provider, Message: fmt.Sprintf("%s asks people with @%s addresses to sign in with %s",
		o.Name, address.Domain(email), s.ssoName(provider))}
}

// applySSOSettings validates and applies sso_required_domains and sso_provider.
func (s *Service) applySSOSettings(o *store.Org, p SettingsPatch, mark func(string)) error {
	if p.SSORequiredDomains != nil {
		out := []string{}
		for i, d := range trimAll(*p.SSORequiredDomains) {
			n, err := address.NormaliseDomain(d)
			if err != nil {
				return errf(CodeInvalidSetting, "sso_required_domains", "sso_required_domains[%d]: %q: %v", i, d, err)
			}
			if !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
		o.SSORequiredDomains = out
		mark("sso_required_domains")
	}
	if p.SSOProvider != nil {
		id := strings.TrimSpace(*p.SSOProvider)
		if _, ok := s.ssoProviders[id]; id != "" && !ok {
			known := make([]string, 0, len(s.ssoProviders))
			for k := range s.ssoProviders {
				known = append(known, k)
			}
			slices.Sort(known)
			return errf(CodeInvalidSetting, "sso_provider", "sso_provider: %q is not a configured OpenID provider (configured: %s)",
				id, strings.Join(append(known, `"" for none`), ", "))
		}
		o.SSOProvider = id
		mark("sso_provider")
	}
	if (p.SSORequiredDomains != nil || p.SSOProvider != nil) && len(o.SSORequiredDomains) > 0 && o.SSOProvider == "" {
		return errf(CodeInvalidSetting, "sso_provider", "sso_provider: choose the provider that members with sso_required_domains must sign in with")
	}
	return nil
}

// JoinWithIdentity joins through an organization's join page with a login whose address the
// provider verified: no confirmation email is needed, since the provider confirmed it. The
// whitelist, end date, join limit, seat limit and approval mode hold as for ConfirmJoin, in
// one transaction with the account and the link.
func (s *Service) JoinWithIdentity(ctx context.Context, slug string, id Identity, signedInUserID string) (Joined, error) {
	var out Joined
	o, err := s.JoinPage(ctx, slug)
	if err != nil {
		return out, err
	}
	if id.Email == "" {
		return out, errf(CodeEmailUnverified, "", "%s did not confirm an email address for this login; use the email form on the join page instead",
			id.Provider)
	}
	if !joinAllowed(o, id.Email) {
		return out, errf(CodeJoinNotAllowed, "email", "this address cannot join %s; ask an admin for an invitation", o.Name)
	}
	err = s.tx(ctx, true, func(q store.Q) error {
		cur, err := store.GetOrg(ctx, q, o.ID)
		if err != nil {
			return err
		}
		if err := s.joinActive(cur); err != nil || cur.JoinSlug != o.JoinSlug || !joinAllowed(cur, id.Email) {
			return errf(CodeJoinInactive, "", "the join link of %s is no longer active", o.Name)
		}
		out.Org = cur
		if err := s.identityMatches(ctx, q, id, id.Email, cur.ID); err != nil {
			return err
		}
		if out.User, err = s.identityUser(ctx, q, id, id.Email, signedInUserID); err != nil {
			return err
		}
		// A login linked earlier acts for its account, whose own address may be another
		// (the provider's changed since): the whitelist holds for the account that joins.
		if !joinAllowed(cur, out.User.EmailNorm) {
			return errf(CodeJoinNotAllowed, "email", "your Lobby account's address, %s, cannot join %s; ask an admin for an invitation",
				out.User.EmailNorm, o.Name)
		}
		return s.admitJoiner(ctx, q, cur, out.User, s.nowMs(), &out)
	})
	return out, err
}
