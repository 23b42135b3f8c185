package org

import (
	"context"
	"errors"
	"strings"

	"github.com/lobby/lobby/app/store"
)

// SCIMCreateUser makes a person a member as an identity provider asks. A new address gets a new
// account (its address vouched for by the provider, no password); an address that already has an
// account joins that account, whose password, address and name stay as they are. A person who
// is already a member is already_member. An active member takes a seat; the role is the policy's
// unless the provider names one, and never above the policy's maximum.
func (s *Service) SCIMCreateUser(ctx context.Context, a Actor, p SCIMPolicy, in SCIMUser) (SCIMUser, error) {
	if err := a.require(PermMembersManage); err != nil {
		return SCIMUser{}, err
	}
	norm, err := normaliseEmail("userName", in.UserName)
	if err != nil {
		return SCIMUser{}, err
	}
	prof, err := cleanSCIMProfile(in.Profile)
	if err != nil {
		return SCIMUser{}, err
	}
	if err := scimCheckExternalID(in.ExternalID); err != nil {
		return SCIMUser{}, err
	}
	mail := p.WelcomeEmail && in.Active
	id := store.NewID()
	var out SCIMUser
	err = s.tx(ctx, mail, func(q store.Q) error {
		o, err := store.GetOrg(ctx, q, a.OrgID)
		if err != nil {
			return notFound(err, "organization")
		}
		role, err := s.scimRole(ctx, q, a, p, in.Role)
		if err != nil {
			return err
		}
		now := s.nowMs()
		u, made, err := s.newMemberPerson(ctx, q, o, store.User{Email: norm, EmailNorm: norm, Name: scimDisplayName(prof)}, "userName", now)
		if err != nil {
			return err
		}
		status := "deactivated"
		if in.Active {
			status = "active"
			if err := takeSeat(ctx, q, o, now); err != nil {
				return err
			}
		}
		m := store.Membership{ID: id, OrgID: o.ID, UserID: u.ID, RoleID: role.ID, Status: status, Source: "scim",
			ExternalID: strings.TrimSpace(in.ExternalID), Attributes: scimProfileJSON(prof), MadeAccount: made, JoinedAt: now, UpdatedAt: now}
		if err := store.CreateMembership(ctx, q, m); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return errf(CodeAlreadyMember, "userName", "%s is already a member of %s", norm, o.Name)
			}
			return err
		}
		if mail {
			if err := s.mail(ctx, q, o.ID, "", "welcome", norm, map[string]any{"OrgName": o.Name, "LoginURL": s.link("/login")}, now); err != nil {
				return err
			}
		}
		if err := s.writeAudit(ctx, q, s.audit(a, "member.added", "member", id, map[string]any{"email": norm, "role": role.Key,
			"status": status, "source": "scim", "external_id": m.ExternalID}, now)); err != nil {
			return err
		}
		out, err = s.scimUser(ctx, q, o.ID, id)
		return err
	})
	if err != nil {
		s.scimRefused(ctx, a, err, norm)
		return SCIMUser{}, err
	}
	return out, nil
}

// SCIMUserByID reads one member of the actor's organization.
func (s *Service) SCIMUserByID(ctx context.Context, a Actor, id string) (SCIMUser, error) {
	if err := a.require(PermMembersRead); err != nil {
		return SCIMUser{}, err
	}
	return s.scimUser(ctx, s.db.R, a.OrgID, id)
}

// SCIMUpdateUser changes a member inside one transaction: it reads the member, checks ifMatch
// against its version, asks change for the new state and stores the difference. The address
// changes only for a person who belongs to no other organization; the account name follows the
// provider's display name on the same condition. Deactivating frees the seat and ends the
// person's sessions; reactivating takes a seat.
func (s *Service) SCIMUpdateUser(ctx context.Context, a Actor, p SCIMPolicy, id, ifMatch string,
	change func(cur SCIMUser) (SCIMUser, error)) (SCIMUser, error) {
	if err := a.require(PermMembersManage); err != nil {
		return SCIMUser{}, err
	}
	var out SCIMUser
	var email string
	err := s.tx(ctx, false, func(q store.Q) error {
		cur, err := s.scimUser(ctx, q, a.OrgID, id)
		if err != nil {
			return err
		}
		email = cur.UserName
		if err := scimCheckVersion(ifMatch, cur.Version, "user"); err != nil {
			return err
		}
		next, err := change(cur)
		if err != nil {
			return err
		}
		if err := s.scimApplyUser(ctx, q, a, p, cur, next); err != nil {
			return err
		}
		out, err = s.scimUser(ctx, q, a.OrgID, id)
		return err
	})
	if err != nil {
		s.scimRefused(ctx, a, err, email)
		return SCIMUser{}, err
	}
	return out, nil
}

// SCIMDeleteUser removes a member, or deactivates them when the policy says so. Either way the
// person's sessions end.
func (s *Service) SCIMDeleteUser(ctx context.Context, a Actor, p SCIMPolicy, id, ifMatch string) error {
	if err := a.require(PermMembersManage); err != nil {
		return err
	}
	if p.DeleteMode == "deactivate" {
		_, err := s.SCIMUpdateUser(ctx, a, p, id, ifMatch, func(cur SCIMUser) (SCIMUser, error) {
			cur.Active = false
			return cur, nil
		})
		return err
	}
	return s.tx(ctx, false, func(q store.Q) error {
		cur, err := s.scimUser(ctx, q, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := scimCheckVersion(ifMatch, cur.Version, "user"); err != nil {
			return err
		}
		m, role, err := s.scimMember(ctx, q, a.OrgID, id)
		if err != nil {
			return err
		}
		if role.Key == RoleOwner && m.Status == "active" {
			if err := lastOwnerCheck(ctx, q, a.OrgID, role.ID); err != nil {
				return err
			}
		}
		inv, err := store.ReassignInviter(ctx, q, a.OrgID, m.UserID, a.UserID)
		if err != nil {
			return err
		}
		teams, err := store.ReassignTeamOwner(ctx, q, a.OrgID, m.UserID, a.UserID)
		if err != nil {
			return err
		}
		now := s.nowMs()
		if err := store.DeleteMembership(ctx, q, a.OrgID, id, now); err != nil {
			return err
		}
		ended, err := store.DeleteUserSessions(ctx, q, m.UserID, "")
		if err != nil {
			return err
		}
		return s.writeAudit(ctx, q, s.audit(a, "member.deleted", "member", id, map[string]any{"email": m.Email, "source": "scim",
			"invitations_reassigned": inv, "teams_reassigned": teams, "sessions_ended": ended}, now))
	})
}

// scimMember loads a membership with its role.
func (s *Service) scimMember(ctx context.Context, q store.Q, orgID, id string) (store.Membership, store.Role, error) {
	m, err := store.GetMembership(ctx, q, orgID, id)
	if err != nil {
		return m, store.Role{}, notFound(err, "user "+id)
	}
	r, err := store.GetRole(ctx, q, orgID, m.RoleID)
	return m, r, err
}

// scimUser reads one member as a SCIMUser.
func (s *Service) scimUser(ctx context.Context, q store.Q, orgID, id string) (SCIMUser, error) {
	m, err := store.GetSCIMMember(ctx, q, orgID, id)
	if err != nil {
		return SCIMUser{}, notFound(err, "user "+id)
	}
	return scimUserOf(m), nil
}

// scimUserOf is a member with its groups as SCIM shows it.
func scimUserOf(m store.SCIMMember) SCIMUser {
	u := SCIMUser{ID: m.ID, UserName: m.Email, ExternalID: m.ExternalID, Active: m.Status == "active", Role: m.RoleKey,
		AccountName: m.Name, Profile: scimParseProfile(m.Attributes), Groups: make([]SCIMRef, len(m.Groups)),
		Created: m.JoinedAt, Modified: m.UpdatedAt}
	for i, g := range m.Groups {
		u.Groups[i] = SCIMRef{ID: g.ID, Display: g.Name}
	}
	u.Version = scimVersion([]any{u.UserName, u.ExternalID, u.Active, u.Role, u.AccountName, u.Profile, u.Groups})
	return u
}

func scimCheckExternalID(ext string) error {
	if len([]rune(strings.TrimSpace(ext))) > 256 {
		return errf(CodeInvalid, "externalId", "externalId is longer than 256 characters")
	}
	return nil
}

// scimRole resolves the role to grant: want, or the policy's role, never above the policy's
// maximum nor above the actor's own.
func (s *Service) scimRole(ctx context.Context, q store.Q, a Actor, p SCIMPolicy, want string) (store.Role, error) {
	var r store.Role
	var err error
	if strings.TrimSpace(want) != "" {
		r, err = roleByKey(ctx, q, a.OrgID, want)
	} else {
		r, err = settingRole(ctx, q, a.OrgID, "scim.role", p.Role)
	}
	if err != nil {
		return r, err
	}
	top, err := s.scimMaxRole(ctx, q, a.OrgID, p)
	if err != nil {
		return r, err
	}
	if !within(r, top) {
		return r, errf(CodeForbidden, "roles", "SCIM may grant roles up to %s; %s can do more than that (scim.max_role)", top.Name, r.Name)
	}
	return r, mayGrant(a, r)
}

func (s *Service) scimMaxRole(ctx context.Context, q store.Q, orgID string, p SCIMPolicy) (store.Role, error) {
	return settingRole(ctx, q, orgID, "scim.max_role", p.MaxRole)
}

// scimRefused records in the audit log a change refused for want of a seat, so admins see in
// the console why their identity provider reports errors.
func (s *Service) scimRefused(ctx context.Context, a Actor, err error, email string) {
	e, ok := AsError(err)
	if !ok || e.Code != CodeSeatLimit {
		return
	}
	werr := s.tx(context.WithoutCancel(ctx), false, func(q store.Q) error {
		return s.writeAudit(ctx, q, s.audit(a, "member.seat_refused", "member", "", map[string]any{"email": email,
			"source": "scim", "reason": e.Message}, s.nowMs()))
	})
	if werr != nil {
		s.log.Warn("Could not record a refused SCIM change in the audit log.", "err", werr)
	}
}
