package api

import "github.com/lobby/lobby/app/org"

// tokenJSON is an API or SCIM token as the API lists it: never the secret, nor its hash.
type tokenJSON struct {
	ID         string  `json:"id"`
	Kind       string  `json:"kind"`
	Name       string  `json:"name"`
	CreatedAt  string  `json:"created_at"`
	ExpiresAt  *string `json:"expires_at"`
	LastUsedAt *string `json:"last_used_at"`
	RevokedAt  *string `json:"revoked_at"`
	Expired    bool    `json:"expired"`
	// MakerBelowAdmin: whoever made it could not make it today, yet it acts as an admin; the
	// console says so, for an owner to revoke it.
	MakerBelowAdmin bool `json:"maker_below_admin"`
}

// toTokenJSON shows t; now (unix ms, org's clock) tells whether it has expired.
func toTokenJSON(t org.Token, now int64) tokenJSON {
	return tokenJSON{ID: t.ID, Kind: t.Kind, Name: t.Name, CreatedAt: rfc3339(t.CreatedAt), ExpiresAt: optTime(t.ExpiresAt),
		LastUsedAt: optTime(t.LastUsedAt), RevokedAt: optTime(t.RevokedAt), Expired: t.Expired(now), MakerBelowAdmin: t.MakerBelowAdmin}
}
