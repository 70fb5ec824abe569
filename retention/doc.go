// Package retention deletes what provgraph promises not to keep: originals
// shortly after they are signed, uploads never signed, signed outputs past
// the account's retention, and expired verification records. Its Sweeper
// may run on several instances at once: every row is claimed with a
// conditional UPDATE before its blob is deleted, so each is purged once.
package retention
