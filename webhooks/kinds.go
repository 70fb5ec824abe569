package webhooks

import (
	"slices"
	"strconv"
	"strings"

	"provgraph/apierror"
	"provgraph/assets"
	"provgraph/jobs"
	"provgraph/signing"
	"provgraph/verifications"
)

// Event kinds the Service records after the final outcome of a message.
// They are never delivered themselves, so a delivery cannot cause another.
const (
	EventDelivered = "webhook.delivered"
	EventFailed    = "webhook.failed"
)

// catalogue maps the kinds of the event log that webhooks deliver onto the
// event names receivers see, in the order the API documents them.
var catalogue = []struct{ kind, name string }{
	{verifications.EventCompleted, "verify.complete"},
	{signing.EventSigned, "sign.complete"},
	{assets.EventScanned, "scan.complete"},
	{jobs.EventCompleted, "batch.complete"},
	{jobs.EventFailed, "job.failed"},
}

// EventNames lists the event names a webhook can subscribe to.
func EventNames() []string {
	names := make([]string, len(catalogue))
	for i, c := range catalogue {
		names[i] = c.name
	}
	return names
}

// nameOf returns the webhook event name of an event-log kind, and whether
// that kind is delivered at all.
func nameOf(kind string) (string, bool) {
	for _, c := range catalogue {
		if c.kind == kind {
			return c.name, true
		}
	}
	return "", false
}

// checkNames validates the events a webhook subscribes to and returns them
// without duplicates; none means every event.
func checkNames(names []string) ([]string, error) {
	known := EventNames()
	out := make([]string, 0, len(names))
	for _, n := range names {
		if !slices.Contains(known, n) {
			return nil, &apierror.InvalidFieldError{Field: "events",
				Reason: "unknown event " + strconv.Quote(n) + "; known: " + strings.Join(known, ", ")}
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}
