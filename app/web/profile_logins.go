package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// linkedLogin is one linked login on the profile.
type linkedLogin struct{ ID, Provider, Email, Since string }

// profileLogins lists the person's linked logins and the providers they can still link.
func (h handler) profileLogins(c *fiber.Ctx) ([]linkedLogin, []ssoButton, error) {
	list, err := h.Org.Identities(ctx(c), user(c).ID)
	if err != nil {
		return nil, nil, err
	}
	var out []linkedLogin
	linked := map[string]bool{}
	for _, i := range list {
		name := i.Issuer
		if p, ok := h.OIDC.ByIssuer(i.Issuer); ok {
			name = p.Name
		}
		linked[i.Issuer] = true
		out = append(out, linkedLogin{ID: i.ID, Provider: name, Email: i.Email,
			Since: time.UnixMilli(i.CreatedAt).UTC().Format("2 January 2006")})
	}
	var more []ssoButton
	for _, p := range h.OIDC.List() {
		if !linked[p.Issuer] {
			more = append(more, ssoButton{ID: p.ID, Name: p.Name})
		}
	}
	return out, more, nil
}

// ssoUnlink handles POST /profile/logins/{id}/unlink, refused when it is the last way in.
func (h handler) ssoUnlink(c *fiber.Ctx) error {
	if err := h.Org.UnlinkIdentity(ctx(c), user(c).ID, c.Params("id")); err != nil {
		return h.profileFailed(c, err)
	}
	return c.Redirect("/profile?saved=1", fiber.StatusSeeOther)
}
