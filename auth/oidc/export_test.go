package oidc

// CheckNonce lets the tests of package oidc_test reach checkNonce.
var CheckNonce = checkNonce
