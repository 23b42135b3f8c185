package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gofiber/fiber/v2/middleware/recover"

	"github.com/lobby/lobby/app/api"
	"github.com/lobby/lobby/app/web"
	"github.com/lobby/lobby/auth/oidc"
	"github.com/lobby/lobby/auth/token"
	"github.com/lobby/lobby/scim"
)

// newHTTP builds the Fiber app with every route of every transport.
func (a *App) newHTTP() *fiber.App {
	bodyLimit := max(a.Config.Server.MaxBodyBytes, a.Config.Imports.MaxBytes) + 64<<10
	f := fiber.New(fiber.Config{
		AppName:               "Lobby",
		DisableStartupMessage: true,
		// Strings from a request (route parameters, headers, the method, the query) are copies.
		// Without this they point into buffers Fiber and fasthttp reuse once the handler
		// returns, and four places kept one longer: the method as a metrics label, a join link's
		// slug as a cache key, an import's id in its background commit and in its streamed
		// report. Each then changed under them when another request came in.
		Immutable: true,
		BodyLimit: int(bodyLimit),
		// Room for a request line and headers of 16 KiB (fasthttp's default is 4 KiB): a long
		// search or filter in the query string gets an answer from Lobby, not a bare 431.
		ReadBufferSize: 16 << 10,
		ReadTimeout:    30 * time.Second,
		WriteTimeout:   60 * time.Second,
		IdleTimeout:    120 * time.Second,
		ErrorHandler:   a.errorHandler,
	})
	f.Server().HeaderReceived = a.bodyLimit
	f.Use(recover.New(recover.Config{EnableStackTrace: false}))
	f.Use(a.observe)
	f.Use(a.guardBearer)
	f.Get("/healthz", func(c *fiber.Ctx) error { return c.SendString("ok") })
	f.Get("/readyz", a.ready)
	f.Get("/metrics", adaptor.HTTPHandler(a.Metrics.Handler()))
	scim.Mount(f, a.scimDeps())
	api.Mount(f, api.Deps{Org: a.Org, Log: a.Log, MaxBody: int(a.Config.Server.MaxBodyBytes), BaseURL: a.Config.Server.BaseURL,
		ImportMaxRows: a.Config.Imports.MaxRows, ImportMaxBytes: a.Config.Imports.MaxBytes})
	web.Mount(f, web.Deps{Org: a.Org, Sessions: a.Sessions, Throttle: a.Throttle, Render: a.Render, Log: a.Log,
		BaseURL: a.Config.Server.BaseURL, Secure: a.secureCookies(), LoginMaxFailures: a.Config.Security.LoginMaxFailures,
		LoginWindow: a.Config.Security.LoginWindow.Duration, ClientIP: a.clientIP, Jobs: a.Jobs, MailPreview: a.Mail.Render,
		ImportMaxRows: a.Config.Imports.MaxRows, ImportMaxBytes: a.Config.Imports.MaxBytes,
		OIDC: a.OIDC, Flows: oidc.NewFlows(a.DB, a.now)})
	return f
}

// secureCookies decides the Secure flag and __Host- prefix: on for an https base URL unless
// the config says otherwise.
func (a *App) secureCookies() bool {
	switch a.Config.Security.SecureCookies {
	case "always":
		return true
	case "never":
		return false
	default:
		return strings.HasPrefix(a.Config.Server.BaseURL, "https://")
	}
}

// observe sets the headers every answer carries, times the request for /metrics and logs it
// at debug level with any token in the path redacted.
func (a *App) observe(c *fiber.Ctx) error {
	start := time.Now()
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	err := c.Next()
	status := c.Response().StatusCode()
	if err != nil {
		if fe, ok := err.(*fiber.Error); ok {
			status = fe.Code
		} else {
			status = fiber.StatusInternalServerError
		}
	}
	route := c.Route().Path
	a.Metrics.HTTPDuration.WithLabelValues(route, c.Method(), strconv.Itoa(status/100)+"xx").Observe(time.Since(start).Seconds())
	a.Log.Debug("Handled a request.", "method", c.Method(), "path", token.Redact(c.Path()), "status", status,
		"duration_ms", time.Since(start).Milliseconds())
	return err
}

// ready answers 200 when the database answers and its schema is the one this binary knows.
func (a *App) ready(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := a.DB.R.PingContext(ctx); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).SendString("database unavailable")
	}
	return c.SendString("ready")
}

// errorHandler answers errors no handler dealt with: JSON under /api, plain text under /scim
// (its library answers everything there itself), a page for people elsewhere.
func (a *App) errorHandler(c *fiber.Ctx, err error) error {
	code := fiber.StatusInternalServerError
	msg := "Something went wrong on our side. It has been logged."
	if fe, ok := err.(*fiber.Error); ok {
		code, msg = fe.Code, fe.Message
		if code == fiber.StatusRequestEntityTooLarge {
			if done, err := a.tooLargeUpload(c); done {
				return err
			}
			msg = "The request body is larger than this server accepts."
		}
	} else {
		a.Log.Error("A request failed.", "method", c.Method(), "path", token.Redact(c.Path()), "err", err)
	}
	switch p := c.Path(); {
	case p == "/api" || strings.HasPrefix(p, "/api/"):
		return c.Status(code).JSON(fiber.Map{"error": fiber.Map{"code": httpCode(code), "message": msg}})
	case p == "/scim" || strings.HasPrefix(p, "/scim/"):
		return c.Status(code).SendString(msg)
	}
	if err := web.ErrorPage(c, a.Render, code, msg); err != nil {
		a.Log.Error("The error page failed.", "err", err)
		return c.Status(code).SendString(msg)
	}
	return nil
}

func httpCode(status int) string {
	switch status {
	case fiber.StatusRequestEntityTooLarge:
		return "body_too_large"
	case fiber.StatusNotFound:
		return "not_found"
	case fiber.StatusMethodNotAllowed:
		return "method_not_allowed"
	case fiber.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case fiber.StatusInternalServerError:
		return "internal"
	default:
		return "invalid_request"
	}
}
