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
	p := c.Path()
	api := underPrefix(p, "/api")
	if !api && !underPrefix(p, "/scim") {
		return c.Next()
	}
	// The client's address is only worked out when some address is blocked or this request
	// failed: most requests pass with no allocation.
	if a.bearerGuard.Any() {
		if until, blocked := a.bearerGuard.Blocked("bearer-ip:" + a.clientIP(c)); blocked {
			return tooManyTokenFailures(c, api, until, a.now())
		}
	}
	err := c.Next()
	if err != nil || c.Response().StatusCode() != fiber.StatusUnauthorized {
		return err
	}
	ip := a.clientIP(c)
	until, blocked, err := a.bearerGuard.Fail(c.UserContext(), "bearer-ip:"+ip)
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

// underPrefix reports whether path is prefix or below it, in any case, as Fiber routes
// (/API/v1/members is the API too).
func underPrefix(path, prefix string) bool {
	return len(path) >= len(prefix) && strings.EqualFold(path[:len(prefix)], prefix) &&
		(len(path) == len(prefix) || path[len(prefix)] == '/')
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
