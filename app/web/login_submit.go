package web

import (
	"fmt"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/address"
	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

// codeThrottled marks a refusal because of too many attempts.
const codeThrottled = "throttled"

// ipLoginLimit is how many failed sign-ins one IP may make per window, across addresses.
const ipLoginLimit = 50

// loginSubmit handles POST /login. A wrong password and an unknown address get the same answer
// in about the same time; failures are throttled per address and per IP.
func (h handler) loginSubmit(c *fiber.Ctx) error {
	email := strings.TrimSpace(c.FormValue("email"))
	next := safeNext(c.FormValue("next"))
	d := loginData{Email: email, Next: next}
	u, err := h.passwordSignIn(c, email, c.FormValue("password"))
	if err == nil {
		err = h.Org.CheckPasswordLogin(ctx(c), u) // an organization may require its OpenID provider
	}
	if err != nil {
		msg, ok := h.orgErrorText(c, err)
		if !ok {
			return err
		}
		d.Error = msg
		status := fiber.StatusUnauthorized
		if e, _ := org.AsError(err); e.Code == codeThrottled {
			status = fiber.StatusTooManyRequests
		}
		return h.Render.Render(c, status, "login", h.page(c, d))
	}
	if err := h.signIn(c, u); err != nil {
		return err
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// passwordSignIn counts the attempt against the address and the IP, refuses it when either
// is over its limit, then checks the password; a right one takes the attempt back. Counting
// before the slow password check keeps parallel guesses from all passing a check made first.
func (h handler) passwordSignIn(c *fiber.Ctx, email, pw string) (u store.User, err error) {
	norm, perr := address.Parse(email)
	if perr != nil {
		norm = strings.ToLower(email)
	}
	ipKey, addrKey := "login-ip:"+h.ClientIP(c), "login-addr:"+norm
	window := h.LoginWindow
	for _, k := range []struct {
		key   string
		limit int
	}{{ipKey, ipLoginLimit}, {addrKey, h.LoginMaxFailures}} {
		over, err := h.Throttle.Hit(ctx(c), k.key, k.limit, window)
		if err != nil {
			return u, err
		}
		if over {
			return u, &org.Error{Code: codeThrottled, Message: "too many failed sign-ins; wait " + minutes(window) + " and try again, or reset your password"}
		}
	}
	u, err = h.Org.SignIn(ctx(c), email, pw)
	if err != nil {
		return u, err
	}
	_ = h.Throttle.Undo(ctx(c), ipKey)
	_ = h.Throttle.Clear(ctx(c), addrKey)
	return u, nil
}

func minutes(d time.Duration) string {
	if m := int(d.Minutes()); m > 1 {
		return fmt.Sprintf("%d minutes", m)
	}
	return "a minute"
}
