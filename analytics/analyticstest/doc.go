// Package analyticstest seeds a small provenance graph whose every
// aggregate is known, for the tests of package analytics and of the HTTP
// layer. Imported by tests only.
package analyticstest
