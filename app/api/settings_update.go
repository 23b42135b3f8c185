package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// updateSettings handles PATCH /api/v1/settings. Only the keys present change; "seat_limit":
// null removes the limit. Unknown keys and wrong types are refused naming the key, and nothing
// is changed unless every key is valid.
func (h handler) updateSettings(c *fiber.Ctx) error {
	var raw map[string]json.RawMessage
	if err := h.decode(c, &raw); err != nil {
		return h.fail(c, err)
	}
	p, err := parseSettingsPatch(raw)
	if err != nil {
		return h.fail(c, err)
	}
	a := actor(c)
	o, err := h.Org.UpdateSettings(c.UserContext(), a, p)
	if err != nil {
		return h.fail(c, err)
	}
	used, _, err := h.Org.Seats(c.UserContext(), a.OrgID)
	if err != nil {
		return h.fail(c, err)
	}
	return c.JSON(h.toSettingsJSON(o, used))
}

func parseSettingsPatch(raw map[string]json.RawMessage) (org.SettingsPatch, error) {
	var p org.SettingsPatch
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := raw[k]
		var err error
		switch k {
		case "name":
			err = into(v, &p.Name)
		case "seat_limit":
			p.SeatLimitSet = true
			if string(v) != "null" {
				err = into(v, &p.SeatLimit)
			}
		case "invite_ttl":
			p.InviteTTL, err = duration(v)
		case "remind_before":
			p.RemindBefore, err = duration(v)
		case "default_role":
			err = into(v, &p.DefaultRole)
		case "require_team":
			err = into(v, &p.RequireTeam)
		case "logo_url":
			err = into(v, &p.LogoURL)
		case "accent_color":
			err = into(v, &p.AccentColor)
		case "terms_url":
			err = into(v, &p.TermsURL)
		case "join_enabled":
			err = into(v, &p.JoinEnabled)
		case "join_slug":
			err = into(v, &p.JoinSlug)
		case "join_allowed_domains":
			err = into(v, &p.JoinAllowedDomains)
		case "join_allowed_emails":
			err = into(v, &p.JoinAllowedEmails)
		case "join_allow_subdomains":
			err = into(v, &p.JoinAllowSubdomains)
		case "join_role":
			err = into(v, &p.JoinRole)
		case "join_teams":
			err = into(v, &p.JoinTeams)
		case "join_limit":
			p.JoinLimitSet = true
			if string(v) != "null" {
				err = into(v, &p.JoinLimit)
			}
		case "join_ends_at":
			p.JoinEndsAtSet = true
			if string(v) != "null" {
				err = into(v, &p.JoinEndsAt)
			}
		case "join_approval":
			err = into(v, &p.JoinApproval)
		case "join_notify":
			err = into(v, &p.JoinNotify)
		case "join_welcome":
			err = into(v, &p.JoinWelcome)
		case "join_regenerate":
			var b *bool
			if err = into(v, &b); err == nil {
				p.JoinRegenerate = *b
			}
		case "sso_required_domains":
			err = into(v, &p.SSORequiredDomains)
		case "sso_provider":
			err = into(v, &p.SSOProvider)
		case "slug", "seats_used", "join_url", "warnings":
			err = fmt.Errorf("is read-only")
		default:
			return p, &org.Error{Code: org.CodeInvalid, Field: k, Message: fmt.Sprintf("unknown setting %q", k)}
		}
		if err != nil {
			return p, &org.Error{Code: org.CodeInvalidSetting, Field: k, Message: fmt.Sprintf("%s: %v", k, err)}
		}
	}
	return p, nil
}

// into decodes one value that may not be null.
func into[T any](v json.RawMessage, dst **T) error {
	if string(v) == "null" {
		return fmt.Errorf("cannot be null")
	}
	var t T
	if err := json.Unmarshal(v, &t); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && wholeNumber(te.Value) {
			if _, isInt := any(t).(int64); isInt {
				return fmt.Errorf("is out of range (want a whole number or null)")
			}
		}
		return fmt.Errorf("has the wrong type (%s)", typeName(t))
	}
	*dst = &t
	return nil
}

func typeName(v any) string {
	switch v.(type) {
	case string:
		return "want a string"
	case bool:
		return "want true or false"
	case int64:
		return "want a whole number or null"
	case []string:
		return "want a list of strings"
	case time.Time:
		return "want an RFC 3339 time like 2026-12-31T23:59:59Z, or null"
	default:
		return fmt.Sprintf("want %T", v)
	}
}

func duration(v json.RawMessage) (*time.Duration, error) {
	if string(v) == "null" {
		return nil, fmt.Errorf("cannot be null")
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return nil, fmt.Errorf(`want a duration string like "168h"`)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return nil, fmt.Errorf(`%q is not a duration; use forms like "24h", "168h" or "90m"`, s)
	}
	return &d, nil
}
