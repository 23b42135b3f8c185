package app

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/scim"
)

// Guessing API and SCIM tokens: one client address may fail bearerFailLimit times in
// bearerFailWindow; after that every request it makes to /api or /scim, with a right token or
// not, answers 429 for one window. An identity provider left with a revoked token makes a
// handful of requests in that time, far from the limit.
const (
	bearerFailLimit  = 60
	bearerFailWindow = 15 * time.Minute
)

// guardBearer throttles token guessing on the API and SCIM: an answer of 401 counts against
// the client's address, and an address over the limit is refused before any token is read.
func (a *App) guardBearer(c *fiber.Ctx) error {
	p := strings.ToLower(c.Path()) // as Fiber routes: /API/v1/members is the API too
	api := p == "/api" || strings.HasPrefix(p, "/api/")
	if !api && p != "/scim" && !strings.HasPrefix(p, "/scim/") {
		return c.Next()
	}
	ip := a.clientIP(c)
	key := "bearer-ip:" + ip
	if until, blocked := a.bearerGuard.Blocked(key); blocked {
		return tooManyTokenFailures(c, api, until, a.now())
	}
	err := c.Next()
	if err != nil || c.Response().StatusCode() != fiber.StatusUnauthorized {
		return err
	}
	until, blocked, err := a.bearerGuard.Fail(c.UserContext(), key)
	if err != nil {
		a.Log.Error("Could not count a failed token.", "ip", ip, "err", err)
		return nil
	}
	if blocked {
		a.Log.Warn("An address sent too many wrong API or SCIM tokens; it is refused for a while.",
			"ip", ip, "failures", bearerFailLimit, "until", until.UTC().Format(time.RFC3339))
	}
	return nil
}

// tooManyTokenFailures answers 429 in the API's or SCIM's own error shape, with Retry-After.
func tooManyTokenFailures(c *fiber.Ctx, api bool, until, now time.Time) error {
	wait := int(until.Sub(now).Seconds()) + 1
	msg := "Too many requests from this address had a wrong or missing token. Try again after " +
		until.UTC().Format("15:04 UTC") + ", with a valid token."
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(wait))
	c.Status(fiber.StatusTooManyRequests)
	if api {
		return c.JSON(fiber.Map{"error": fiber.Map{"code": "rate_limited", "message": msg}})
	}
	c.Set(fiber.HeaderContentType, "application/scim+json")
	return c.Send(scim.ErrorBody(fiber.StatusTooManyRequests, msg))
}
