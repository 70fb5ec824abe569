// Package status is the table of C2PA validation status codes: every code of
// the C2PA 2.2 specification (§15.2.2) plus the codes c2pa-rs adds, each with
// its kind (success, informational, failure) and a plain-language meaning, and
// the Log that collects {code, url, explanation} entries during validation.
//
// It holds no validation logic and imports nothing of the engine, so the
// engine, the API and the web pages can all share one table.
package status
