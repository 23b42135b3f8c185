package org

import (
	"context"
	"errors"
	"strings"

	"github.com/lobby/lobby/app/store"
)

// scimApplyUser stores the difference between cur and next inside the caller's transaction and
// audits each kind of change.
func (s *Service) scimApplyUser(ctx context.Context, q store.Q, a Actor, p SCIMPolicy, cur, next SCIMUser) error {
	norm, err := normaliseEmail("userName", next.UserName)
	if err != nil {
		return err
	}
	prof, err := cleanSCIMProfile(next.Profile)
	if err != nil {
		return err
	}
	if err := scimCheckExternalID(next.ExternalID); err != nil {
		return err
	}
	ext := strings.TrimSpace(next.ExternalID)
	m, role, err := s.scimMember(ctx, q, a.OrgID, cur.ID)
	if err != nil {
		return err
	}
	now := s.nowMs()
	// owned is whether the provider owns the account: its own provisioning made the account
	// (not an account that existed before and was joined to this organization), the person
	// belongs to this organization only, and their role is one the provider may manage. Only then
	// may it change the address (which a password reset would then follow) and the account's
	// name: otherwise a provider could take over anyone's account by provisioning their address.
	n, err := store.CountMembershipsOfUser(ctx, q, m.UserID)
	if err != nil {
		return err
	}
	top, err := s.scimMaxRole(ctx, q, a.OrgID, p)
	if err != nil {
		return err
	}
	owned := n <= 1 && m.Source == "scim" && m.MadeAccount && within(role, top)
	var entries []store.AuditEntry
	touched := false
	if norm != cur.UserName {
		if !owned {
			return errf(CodeSCIMLocked, "userName", "the address of %s can only be changed in Lobby: the account was not made by SCIM, "+
				"belongs to other organizations too, or has a role above scim.max_role", cur.UserName)
		}
		if err := store.ChangeUserEmail(ctx, q, m.UserID, norm, norm); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errf(CodeEmailTaken, "userName", "%s already belongs to another person", norm)
			}
			return err
		}
		touched = true
		entries = append(entries, s.audit(a, "member.email_changed", "member", m.ID, map[string]any{"from": cur.UserName, "to": norm}, now))
	}
	if name := scimDisplayName(prof); owned && name != "" && name != cur.AccountName {
		if err := store.UpdateUserName(ctx, q, m.UserID, name); err != nil {
			return err
		}
		touched = true
	}
	if want := strings.ToLower(strings.TrimSpace(next.Role)); want != "" && want != role.Key {
		e, err := s.scimChangeRole(ctx, q, a, p, m, role, want, now)
		if err != nil {
			return err
		}
		entries = append(entries, e)
	}
	if next.Active != cur.Active {
		e, err := s.scimChangeStatus(ctx, q, a, m, role, next.Active, now)
		if err != nil {
			return err
		}
		entries = append(entries, e)
	}
	if attrs := scimProfileJSON(prof); attrs != m.Attributes || ext != m.ExternalID {
		if err := store.SetMembershipProfile(ctx, q, a.OrgID, m.ID, ext, attrs, now); err != nil {
			return err
		}
		entries = append(entries, s.audit(a, "member.profile_updated", "member", m.ID, map[string]any{"email": norm,
			"external_id": ext}, now))
	} else if touched {
		if err := store.TouchMembership(ctx, q, a.OrgID, m.ID, now); err != nil {
			return err
		}
	}
	return s.writeAudit(ctx, q, entries...)
}

// scimChangeRole gives a member another role, both the old and the new within the policy.
func (s *Service) scimChangeRole(ctx context.Context, q store.Q, a Actor, p SCIMPolicy, m store.Membership, old store.Role,
	want string, now int64) (store.AuditEntry, error) {
	top, err := s.scimMaxRole(ctx, q, a.OrgID, p)
	if err != nil {
		return store.AuditEntry{}, err
	}
	if !within(old, top) {
		return store.AuditEntry{}, errf(CodeForbidden, "roles", "%s is %s, which can do more than SCIM may change (scim.max_role is %s)",
			m.Email, old.Name, top.Name)
	}
	nr, err := s.scimRole(ctx, q, a, p, want)
	if err != nil {
		return store.AuditEntry{}, err
	}
	if old.Key == RoleOwner && m.Status == "active" {
		if err := lastOwnerCheck(ctx, q, a.OrgID, old.ID); err != nil {
			return store.AuditEntry{}, err
		}
	}
	if err := store.SetMembershipRole(ctx, q, a.OrgID, m.ID, nr.ID, now); err != nil {
		return store.AuditEntry{}, err
	}
	return s.audit(a, "member.role_changed", "member", m.ID, map[string]any{"email": m.Email, "from": old.Key, "to": nr.Key}, now), nil
}

// scimChangeStatus deactivates (freeing the seat and ending the person's sessions) or
// reactivates (taking a seat) a member.
func (s *Service) scimChangeStatus(ctx context.Context, q store.Q, a Actor, m store.Membership, role store.Role, active bool,
	now int64) (store.AuditEntry, error) {
	if !active {
		if role.Key == RoleOwner {
			if err := lastOwnerCheck(ctx, q, a.OrgID, role.ID); err != nil {
				return store.AuditEntry{}, err
			}
		}
		if err := store.SetMembershipStatus(ctx, q, a.OrgID, m.ID, "deactivated", now); err != nil {
			return store.AuditEntry{}, err
		}
		ended, err := store.DeleteUserSessions(ctx, q, m.UserID, "")
		if err != nil {
			return store.AuditEntry{}, err
		}
		return s.audit(a, "member.deactivated", "member", m.ID, map[string]any{"email": m.Email, "source": "scim",
			"sessions_ended": ended}, now), nil
	}
	o, err := store.GetOrg(ctx, q, a.OrgID)
	if err != nil {
		return store.AuditEntry{}, err
	}
	if err := takeSeat(ctx, q, o, now); err != nil {
		return store.AuditEntry{}, err
	}
	if err := store.SetMembershipStatus(ctx, q, a.OrgID, m.ID, "active", now); err != nil {
		return store.AuditEntry{}, err
	}
	return s.audit(a, "member.reactivated", "member", m.ID, map[string]any{"email": m.Email, "source": "scim"}, now), nil
}
