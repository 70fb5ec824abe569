// Package testenv locates what tests share with the rest of the workplace:
// the shared fixtures folder beside the repository and the c2pa-rs oracle.
// It is imported by tests only and never by production code.
package testenv
