package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
)

// inviteData is what the invitation page shows.
type inviteData struct {
	Org         orgView
	Email       string
	InviterName string
	RoleName    string
	Teams       []string
	Message     string
	Expires     string
	Mode        string // signup | signin | accept | wrong
	Action      string
	Name        string
	Error       string
}

type orgView struct{ Name, TermsURL string }

// inviteShow handles GET /invite/{token}. Opening never consumes the link: mail scanners open
// links too.
func (h handler) inviteShow(c *fiber.Ctx) error {
	tokenPage(c)
	plain := c.Params("token")
	opened, err := h.Org.OpenInvitation(ctx(c), plain)
	if err != nil {
		return h.inviteProblem(c, plain, opened, err)
	}
	d, err := h.inviteData(c, plain, opened)
	if err != nil {
		return err
	}
	return h.Render.Render(c, fiber.StatusOK, "invite", branded(h.page(c, d), opened.Org))
}

func (h handler) inviteData(c *fiber.Ctx, plain string, o org.OpenedInvitation) (inviteData, error) {
	inv := o.Invitation
	d := inviteData{Org: orgView{o.Org.Name, o.Org.TermsURL}, Email: inv.EmailNorm,
		InviterName: inv.InviterName, RoleName: o.RoleName, Teams: o.Teams, Message: inv.Message, Name: inv.Name,
		Expires: time.UnixMilli(inv.ExpiresAt).UTC().Format("2 January 2006, 15:04 UTC"), Action: "/invite/" + plain}
	switch u := user(c); {
	case u != nil && u.EmailNorm == inv.EmailNorm:
		d.Mode = "accept"
	case u != nil:
		d.Mode = "wrong"
	default:
		has, err := h.Org.HasAccount(ctx(c), inv.EmailNorm)
		if err != nil {
			return d, err
		}
		d.Mode = "signup"
		if has {
			d.Mode = "signin"
		}
	}
	return d, nil
}

// inviteProblem explains an unusable link in plain words, with a way forward.
func (h handler) inviteProblem(c *fiber.Ctx, plain string, o org.OpenedInvitation, err error) error {
	e, ok := org.AsError(err)
	if !ok {
		return err
	}
	who := o.Invitation.InviterName
	if who == "" {
		who = "the person who invited you"
	}
	extra := map[string]string{"AskWho": who}
	if o.Invitation.InviterEmail != "" {
		extra["Ask"] = "/invite/" + plain + "/ask"
	}
	p := h.page(c, nil)
	if o.Org.ID != "" {
		p = branded(p, o.Org)
	}
	var status int
	var title string
	switch e.Code {
	// The title says what happened; the message says why and what to do, without repeating it.
	case org.CodeInviteExpired:
		status, title = fiber.StatusGone, "This invitation has expired"
		e.Message = "invitations work for a limited time; ask " + who + " to send you a new one"
		if extra["Ask"] != "" {
			e.Message = "invitations work for a limited time. " + upperFirst(who) + " can send you a new one: press the button and we'll ask them"
		}
	case org.CodeInviteRevoked:
		status, title = fiber.StatusGone, "This invitation was withdrawn"
		// Not "X withdrew it": another admin may have, or it was replaced when the person was
		// added another way (directly, by SCIM, through the join page).
		e.Message = "this link no longer works: it was withdrawn, or replaced because you were added another way. " +
			"Try signing in; if you still need access, ask " + who
	case org.CodeInviteUsed:
		status, title = fiber.StatusGone, "This invitation has already been used"
		e.Message = "it has been accepted already: sign in to continue"
		extra = map[string]string{"Link": "/login", "LinkText": "Sign in"}
		if user(c) != nil {
			e.Message = "it has been accepted already; your organizations are on your dashboard"
			extra["Link"], extra["LinkText"] = "/", "Go to your dashboard"
		}
	default:
		status, title = fiber.StatusNotFound, "This invitation link doesn't work"
		extra = map[string]string{"Link": "/login", "LinkText": "Sign in"}
		e.Message = "it may have been mistyped, or replaced by a newer invitation; check your inbox for the latest email"
	}
	d := map[string]string{"Title": title, "Message": upperFirst(e.Message) + "."}
	for k, v := range extra {
		d[k] = v
	}
	p.Data = d
	return h.Render.Render(c, status, "message", p)
}
