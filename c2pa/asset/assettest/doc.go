// Package assettest holds checks shared by the tests of the asset handler
// packages, like net/http/httptest: a fuzz body every handler must survive.
// It is imported by tests only.
package assettest
