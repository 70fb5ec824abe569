// Package workflows keeps saved recipes — steps (scan, sign with a
// declaration template, verify) and a target collection — and runs them
// as jobs over uploaded files or a collection's assets. The running itself
// is the jobs package's; a job copies the recipe, so changing or deleting
// a workflow never changes a job already queued.
package workflows
