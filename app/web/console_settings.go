package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

type settingsView struct {
	O        store.Org
	Roles    []store.Role
	Tokens   []org.Token
	TTLs     []option
	Reminds  []option
	TTL      string
	Remind   string
	NewToken string // shown once, right after creation
	NewKind  string
	Join     joinSettings
	Teams    []store.Team
	// Now and SoonAt (14 days on) decide which tokens show as expired or expiring soon.
	Now, SoonAt int64
	// MayMakeTokens shows the form that creates tokens.
	MayMakeTokens bool
	// SeatLimit and JoinLimit are the text of their inputs: stored, or as typed.
	SeatLimit, JoinLimit string
}

var ttlPresets = []option{{"24h", "1 day"}, {"72h", "3 days"}, {"168h", "7 days"}, {"336h", "14 days"}, {"720h", "30 days"}}
var remindPresets = []option{{"0h", "No reminder"}, {"24h", "1 day before"}, {"48h", "2 days before"}, {"72h", "3 days before"}}

// consoleSettings handles GET /console/{slug}/settings.
func (h handler) consoleSettings(c *fiber.Ctx) error {
	return h.renderSettings(c, "", "")
}

func (h handler) renderSettings(c *fiber.Ctx, newToken, kind string) error {
	return h.showSettings(c, fiber.StatusOK, "", func(v *settingsView) { v.NewToken, v.NewKind = newToken, kind })
}

// showSettings renders the settings page from what is stored, changed by edit (what a form
// sent that was not saved: one mistake must not cost the rest of the form), with problem as
// the page's error.
func (h handler) showSettings(c *fiber.Ctx, status int, problem string, edit func(*settingsView)) error {
	a := consoleWho(c)
	o, err := h.Org.Settings(ctx(c), a)
	if err != nil {
		return err
	}
	v := settingsView{O: o, TTLs: ttlPresets, Reminds: remindPresets,
		TTL: shortDuration(o.InviteTTLMs), Remind: shortDuration(o.RemindBeforeMs), Now: h.Org.Now().UnixMilli()}
	v.SoonAt = v.Now + (14 * 24 * time.Hour).Milliseconds()
	v.MayMakeTokens = a.MayMakeTokens()
	if o.SeatLimit != nil {
		v.SeatLimit = strconv.FormatInt(*o.SeatLimit, 10)
	}
	if v.Roles, err = h.Org.ListRoles(ctx(c), a); err != nil {
		return err
	}
	if v.Teams, err = h.Org.ListTeams(ctx(c), a); err != nil {
		return err
	}
	h.joinSettingsView(&v)
	if edit != nil {
		edit(&v)
	}
	if a.Can(org.PermTokens) {
		if v.Tokens, err = h.Org.ListTokens(ctx(c), a); err != nil {
			return err
		}
	}
	return h.console(c, status, "settings", "settings", v, problem)
}

// settingsProblem shows the settings page again with what the Organization form sent and
// what was wrong with it (422).
func (h handler) settingsProblem(c *fiber.Ctx, problem string) error {
	return h.showSettings(c, fiber.StatusUnprocessableEntity, problem, func(v *settingsView) {
		v.O.Name, v.O.LogoURL, v.O.AccentColor, v.O.TermsURL = c.FormValue("name"), c.FormValue("logo_url"), c.FormValue("accent_color"), c.FormValue("terms_url")
		v.O.DefaultRole, v.O.RequireTeam = c.FormValue("default_role"), c.FormValue("require_team") == "on"
		v.SeatLimit, v.TTL, v.Remind = c.FormValue("seat_limit"), c.FormValue("invite_ttl"), c.FormValue("remind_before")
	})
}

// consoleSettingsSave handles POST /console/{slug}/settings: every field at once, all or nothing.
func (h handler) consoleSettingsSave(c *fiber.Ctx) error {
	p := org.SettingsPatch{SeatLimitSet: true}
	str := func(k string) *string { v := c.FormValue(k); return &v }
	p.Name, p.LogoURL, p.AccentColor, p.TermsURL, p.DefaultRole = str("name"), str("logo_url"), str("accent_color"), str("terms_url"), str("default_role")
	if s := strings.TrimSpace(c.FormValue("seat_limit")); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return h.settingsProblem(c, "Seat limit: write a whole number of 0 or more, or leave it empty for no limit.")
		}
		p.SeatLimit = &n
	}
	for _, d := range []struct {
		key string
		dst **time.Duration
	}{{"invite_ttl", &p.InviteTTL}, {"remind_before", &p.RemindBefore}} {
		if s := c.FormValue(d.key); s != "" {
			v, err := time.ParseDuration(s)
			if err != nil {
				return h.settingsProblem(c, fieldLabels[d.key]+": choose one of the lengths in the list.")
			}
			*d.dst = &v
		}
	}
	req := c.FormValue("require_team") == "on"
	p.RequireTeam = &req
	o, err := h.Org.UpdateSettings(ctx(c), consoleWho(c), p)
	if err != nil {
		msg, ok := h.orgErrorText(c, err)
		if !ok {
			return err
		}
		return h.settingsProblem(c, msg)
	}
	used, limit, err := h.Org.Seats(ctx(c), o.ID)
	if err != nil {
		return err
	}
	if limit != nil && used > *limit {
		// Allowed: a lower limit stops newcomers and removes nobody. Saying so here keeps it
		// from being a surprise at the next invitation.
		which := "the new limit"
		if was := consoleOrg(c).SeatLimit; was != nil && *was == *limit {
			which = "the limit"
		}
		return back(c, "/settings", fmt.Sprintf("Saved. %s in use, more than %s of %d: nobody new can join until some leave.",
			seatsInUse(used), which, *limit))
	}
	return back(c, "/settings", "Settings saved.")
}

// seatsInUse says how many seats are in use: "1 seat is", "3 seats are".
func seatsInUse(n int64) string {
	if n == 1 {
		return "1 seat is"
	}
	return strconv.FormatInt(n, 10) + " seats are"
}

func shortDuration(ms int64) string {
	d := time.Duration(ms) * time.Millisecond
	if d%time.Hour == 0 {
		return strconv.FormatInt(int64(d/time.Hour), 10) + "h"
	}
	return d.String()
}
