package oidc

import (
	"context"
	"crypto/subtle"
	"errors"
	"slices"
	"strings"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/lobby/lobby/app/address"
)

// Identity is who the provider says signed in. People are identified by (Issuer, Subject);
// the email is only a hint for linking and inviting, and only when the provider verified it.
type Identity struct {
	Issuer, Subject string
	// Email is the normalised address, set only when the provider sent email_verified true.
	Email string
	// ClaimedEmail is the address as the provider sent it, verified or not, for messages.
	ClaimedEmail string
	// Name is the display name from the provider's name claim, or "".
	Name string
}

// Exchange trades the authorization code for tokens (sending the PKCE verifier), verifies
// the ID token (signature, issuer, audience, expiry through go-oidc; the nonce here) and
// returns the identity. Claims missing from the ID token are read from the userinfo endpoint
// when its subject is the same. Failures are *Error values.
func (p *Provider) Exchange(ctx context.Context, code, verifier, nonce string) (Identity, error) {
	conf, ver, disc, err := p.discover(ctx)
	if err != nil {
		return Identity{}, err
	}
	hctx := context.WithValue(ctx, oauth2.HTTPClient, p.client)
	tok, err := conf.Exchange(hctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return Identity{}, exchangeError(p.ID, err)
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return Identity{}, &Error{Kind: KindInvalid, Code: "no_id_token", Provider: p.ID,
			Err: errors.New("the token response has no id_token; is the openid scope configured?")}
	}
	idt, err := ver.Verify(gooidc.ClientContext(ctx, p.client), raw)
	if err != nil {
		return Identity{}, verifyError(p.ID, err)
	}
	if err := checkNonce(idt.Nonce, nonce); err != nil {
		return Identity{}, &Error{Kind: KindInvalid, Code: "wrong_nonce", Provider: p.ID, Err: err}
	}
	claims := map[string]any{}
	if err := idt.Claims(&claims); err != nil {
		return Identity{}, &Error{Kind: KindInvalid, Code: "invalid_id_token", Provider: p.ID, Err: err}
	}
	if len(idt.Audience) > 1 && claims["azp"] != p.clientID {
		return Identity{}, &Error{Kind: KindInvalid, Code: "wrong_audience", Provider: p.ID,
			Err: errors.New("the ID token has several audiences and its azp is not Lobby's client id")}
	}
	if _, has := claims["email"]; !has && disc.UserInfoEndpoint() != "" {
		if err := p.addUserInfo(ctx, disc, tok, idt.Subject, claims); err != nil {
			return Identity{}, err
		}
	}
	return identityFrom(idt.Issuer, idt.Subject, claims, p.NameClaim), nil
}

// addUserInfo fills claims the ID token lacks from the userinfo endpoint. Its answer counts
// only for the same subject (OpenID Connect Core 5.3.2).
func (p *Provider) addUserInfo(ctx context.Context, disc *gooidc.Provider, tok *oauth2.Token, sub string, claims map[string]any) error {
	ui, err := disc.UserInfo(gooidc.ClientContext(ctx, p.client), oauth2.StaticTokenSource(tok))
	if err != nil {
		return &Error{Kind: KindUnavailable, Code: "userinfo_failed", Provider: p.ID, Err: err}
	}
	if ui.Subject != sub {
		return &Error{Kind: KindInvalid, Code: "userinfo_subject_mismatch", Provider: p.ID,
			Err: errors.New("the userinfo answer is for another subject than the ID token")}
	}
	extra := map[string]any{}
	if err := ui.Claims(&extra); err != nil {
		return &Error{Kind: KindInvalid, Code: "userinfo_invalid", Provider: p.ID, Err: err}
	}
	for _, k := range []string{"email", "email_verified", p.NameClaim} {
		if _, has := claims[k]; !has {
			if v, ok := extra[k]; ok {
				claims[k] = v
			}
		}
	}
	return nil
}

// checkNonce compares the ID token's nonce with the one stored for this browser, in constant
// time. go-oidc leaves the nonce to its caller.
func checkNonce(got, want string) error {
	if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errors.New("the ID token's nonce is not the one this sign-in sent")
	}
	return nil
}

// identityFrom reads the identity out of verified claims. email_verified counts only when it
// is true (or the string "true", which some providers send); anything else, or no claim at
// all, leaves Email empty.
func identityFrom(iss, sub string, claims map[string]any, nameClaim string) Identity {
	id := Identity{Issuer: iss, Subject: sub}
	email, _ := claims["email"].(string)
	id.ClaimedEmail = clean(strings.TrimSpace(email), 320)
	verified := false
	switch v := claims["email_verified"].(type) {
	case bool:
		verified = v
	case string:
		verified = strings.EqualFold(v, "true")
	}
	if verified {
		if norm, err := address.Parse(email); err == nil {
			id.Email = norm
		}
	}
	if name, ok := claims[nameClaim].(string); ok {
		name = strings.Join(strings.Fields(name), " ")
		if r := []rune(name); len(r) > 200 {
			name = string(r[:200])
		}
		id.Name = name
	}
	return id
}

// DomainAllowed reports whether the provider may be used by the verified address email: any
// address when the provider lists no allowed domains, else only those domains (whole ones).
func (p *Provider) DomainAllowed(email string) bool {
	if len(p.AllowedDomains) == 0 {
		return true
	}
	return email != "" && slices.Contains(p.AllowedDomains, address.Domain(email))
}
