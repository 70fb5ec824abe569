// Package web serves the public pages people reach from a badge or a
// verifyUrl: the record of a verification, the page that checks a file of
// one's own, and the live view of a job. The pages are rendered on the
// server from templates and static files embedded in the binary, work
// without JavaScript where they can, and make no third-party requests.
// It presents what the services decide and decides nothing itself.
package web
