package api

import (
	"encoding/json"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/lobby/lobby/app/org"
	"github.com/lobby/lobby/app/store"
)

type auditJSON struct {
	ID        string         `json:"id"`
	Actor     auditActor     `json:"actor"`
	Action    string         `json:"action"`
	Target    auditTarget    `json:"target"`
	Details   map[string]any `json:"details"`
	CreatedAt string         `json:"created_at"`
}

type auditActor struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
	Name string `json:"name"`
}

type auditTarget struct {
	Kind string `json:"kind"`
	ID   string `json:"id"`
}

// listAudit handles GET /api/v1/audit?actor=&action=&since= (RFC 3339), newest first.
func (h handler) listAudit(c *fiber.Ctx) error {
	p, err := idPage(c)
	if err != nil {
		return h.fail(c, err)
	}
	f := store.AuditFilter{Actor: c.Query("actor"), Action: c.Query("action"), Page: p}
	if s := c.Query("since"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			return h.fail(c, &org.Error{Code: org.CodeInvalid, Field: "since", Message: "since must be an RFC 3339 time like 2026-01-31T00:00:00Z"})
		}
		f.Since = t.UnixMilli()
	}
	entries, err := h.Org.Audit(c.UserContext(), actor(c), f)
	if err != nil {
		return h.fail(c, err)
	}
	items := make([]auditJSON, len(entries))
	for i, e := range entries {
		d := map[string]any{}
		if e.Details != "" {
			_ = json.Unmarshal([]byte(e.Details), &d)
		}
		items[i] = auditJSON{ID: e.ID, Actor: auditActor{e.ActorKind, e.ActorID, e.ActorName}, Action: e.Action,
			Target: auditTarget{e.TargetKind, e.TargetID}, Details: d, CreatedAt: rfc3339(e.CreatedAt)}
	}
	return c.JSON(newList(items, p, func(a auditJSON) string { return a.ID }))
}
