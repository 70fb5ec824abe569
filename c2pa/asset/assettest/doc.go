// Package assettest holds what the tests of the asset handler packages
// share, like net/http/httptest: the fixture index, plan application and a
// fuzz body every handler must survive. It is imported by tests only.
package assettest
