// Package analytics answers an account's questions about its provenance
// graph — how many assets, scans, signs and verifications, of which
// verdict, model, purpose and tier, per hour, day, week or month in a
// time zone — and streams the account's assets for BI tools. Every number
// is computed by SQL aggregates in the database, over indexes; nothing here
// loads rows into Go to count them, and every query is the caller's
// account's alone.
package analytics
