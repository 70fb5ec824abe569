package op

import (
	"net"
	"net/http"
	"net/netip"

	"provgraph/accounts"
	"provgraph/quota"
	"provgraph/rest/ratelimit"
)

// The names the OP Protocol's counts are kept under, apart from the
// GraphQL API's own per-key counts.
const (
	countRequest = "op.request"
	countSign    = "op.sign"
	countVerify  = "op.verify"
)

// Limits are the limits of one tier: every request per minute, and the
// files signed and verified per UTC day (each file of a batch counts).
// Zero disables a limit.
type Limits struct {
	RequestsPerMinute int
	SignsPerDay       int
	VerifiesPerDay    int
}

// withOwn is the tier's limits with those the key carries of its own
// (createAPIKey's opLimits) in their place.
func withOwn(tier Limits, own accounts.OPLimits) Limits {
	for _, f := range []struct {
		from *int
		to   *int
	}{{own.RequestsPerMinute, &tier.RequestsPerMinute}, {own.SignsPerDay, &tier.SignsPerDay}, {own.VerifiesPerDay, &tier.VerifiesPerDay}} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	return tier
}

// clientIP is the address of the caller's connection. Proxy headers are
// not read: behind a proxy every caller would share its address, but a
// client could name any address in a header.
func clientIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.IPv4Unspecified()
	}
	return addr
}

// count counts n of name against the caller's limit of max per window and
// reports it in the headers when it is the tightest so far.
func (c *call) count(name string, window quota.Window, max, n int) error {
	l := c.subject.Limit(name, window, max)
	u, err := c.h.d.Quota.Consume(c.ctx, n, l)
	if err != nil {
		return err
	}
	if u.Limit.Max > 0 && (c.usage.Limit.Max <= 0 || u.Remaining < c.usage.Remaining) {
		c.usage = u
	}
	ratelimit.SetHeaders(c.w.Header(), c.usage)
	return nil
}

// takeSigns and takeVerifies count n files against the day's limits.
func (c *call) takeSigns(n int) error {
	return c.count(countSign, quota.Day, c.limits.SignsPerDay, n)
}

func (c *call) takeVerifies(n int) error {
	return c.count(countVerify, quota.Day, c.limits.VerifiesPerDay, n)
}
