package scim

import (
	"fmt"
	"net/http"

	"github.com/elimity-com/scim"
	"github.com/elimity-com/scim/optional"
	"github.com/elimity-com/scim/schema"

	"github.com/lobby/lobby/app/org"
)

// The schema URNs Lobby serves.
const (
	userURN       = "urn:ietf:params:scim:schemas:core:2.0:User"
	groupURN      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
)

var (
	userSchema       = schema.CoreUserSchema()
	groupSchema      = schema.CoreGroupSchema()
	enterpriseSchema = schema.ExtensionEnterpriseUser()
)

// resourceTypes are the Users and Groups endpoints over h.
func (h *handler) resourceTypes() []scim.ResourceType {
	return []scim.ResourceType{
		{
			ID:               optional.NewString("User"),
			Name:             "User",
			Description:      optional.NewString("A member of the organization"),
			Endpoint:         "/Users",
			Schema:           userSchema,
			SchemaExtensions: []scim.SchemaExtension{{Schema: enterpriseSchema}},
			Handler:          users{h},
		},
		{
			ID:          optional.NewString("Group"),
			Name:        "Group",
			Description: optional.NewString("A team of the organization managed by the identity provider"),
			Endpoint:    "/Groups",
			Schema:      groupSchema,
			Handler:     groups{h},
		},
	}
}

// server builds the library's SCIM server with Lobby's resource types.
func (h *handler) server() (http.Handler, error) {
	srv, err := scim.NewServer(&scim.ServerArgs{
		ServiceProviderConfig: &scim.ServiceProviderConfig{
			MaxResults:       org.SCIMMaxPage,
			SupportFiltering: true,
			SupportPatch:     true,
			AuthenticationSchemes: []scim.AuthenticationScheme{{
				Type: scim.AuthenticationTypeOauthBearerToken, Name: "Bearer token",
				Description: "A SCIM token created in Lobby's console or with lobby token create --kind scim.", Primary: true,
			}},
		},
		ResourceTypes: h.resourceTypes(),
	}, scim.WithBaseURL(h.base), scim.WithLogger(libLogger{h}), scim.WithRootQueryHandler(root{h}))
	if err != nil {
		return nil, fmt.Errorf("scim server: %w", err)
	}
	return srv, nil
}

// libLogger hands the library's error reports to slog.
type libLogger struct{ h *handler }

func (l libLogger) Error(args ...any) {
	l.h.log.Error("The SCIM library reported an error.", "detail", fmt.Sprint(args...))
}

// serviceProviderConfig describes what this endpoint really supports; the library's own
// answer says sort and etag are unsupported and has a null documentationUri.
func (h *handler) serviceProviderConfig() map[string]any {
	return map[string]any{
		"schemas":          []string{"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"},
		"documentationUri": "https://datatracker.ietf.org/doc/html/rfc7644",
		"patch":            map[string]any{"supported": true},
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": true, "maxResults": org.SCIMMaxPage},
		"changePassword":   map[string]any{"supported": false},
		"sort":             map[string]any{"supported": true},
		"etag":             map[string]any{"supported": true},
		"authenticationSchemes": []map[string]any{{
			"type": "oauthbearertoken", "name": "Bearer token", "primary": true,
			"description": "A SCIM token created in Lobby's console or with lobby token create --kind scim, sent as Authorization: Bearer <token>.",
			"specUri":     "https://datatracker.ietf.org/doc/html/rfc6750",
		}},
		"meta": map[string]any{"resourceType": "ServiceProviderConfig", "location": h.base + "/ServiceProviderConfig"},
	}
}
