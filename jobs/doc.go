// Package jobs runs bulk scans, signs, verifications and workflow runs in
// the background: a Job with one JobItem per file or asset, each item a
// River job worked by whichever instance is free. Items are idempotent (an
// item's outcome commits in the same transaction as the work it records),
// so a crashed instance's items are retried elsewhere and nothing is
// signed twice. It must not hold a database lock while a file streams.
package jobs
