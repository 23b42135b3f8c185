// Package scim serves SCIM 2.0 (RFC 7643 and RFC 7644) under /scim/v2 with
// github.com/elimity-com/scim, so that identity providers such as Entra ID and Okta can
// provision the people and groups of one organization, named by the SCIM bearer token.
//
// It maps the protocol onto app/org and nothing else: every rule (seats, roles, addresses,
// who may change what) is org's, and this package never writes SQL. It adds what the library
// leaves to its users: bearer-token authentication, body limits, Entra's filter and manager
// quirks, PATCH merging, attributes/excludedAttributes, sorting, itemsPerPage, ETags and
// If-Match, and a ServiceProviderConfig that tells the truth about all of these.
package scim
