package outbound

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// ErrForbiddenAddress is returned when a destination resolves to an address
// the policy refuses.
var ErrForbiddenAddress = errors.New("outbound: destination address not allowed")

// ErrScheme is returned for URLs that are not http or https.
var ErrScheme = errors.New("outbound: only http and https URLs are allowed")

// ErrTooLarge is returned when a response body exceeds the policy's cap.
var ErrTooLarge = errors.New("outbound: response too large")

// Policy says where provgraph may connect and how much it may fetch.
type Policy struct {
	// Allow lists hosts (exact names) and prefixes that are reachable even
	// though they are private or loopback (PROVGRAPH_OUTBOUND_ALLOW).
	AllowHosts    []string
	AllowPrefixes []netip.Prefix
	// Timeout bounds a whole request, body included. Zero means 30s.
	Timeout time.Duration
	// MaxBytes caps a response body read through Fetch. Zero means 50 MiB.
	MaxBytes int64
}

// ParseAllow parses a comma-separated list of hosts, IPs and CIDRs, as in
// PROVGRAPH_OUTBOUND_ALLOW="127.0.0.1,10.0.0.0/8,minio.internal".
func ParseAllow(list string) (hosts []string, prefixes []netip.Prefix, err error) {
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		switch {
		case item == "":
		case strings.Contains(item, "/"):
			p, perr := netip.ParsePrefix(item)
			if perr != nil {
				return nil, nil, fmt.Errorf("outbound: allow list: %q: %w", item, perr)
			}
			prefixes = append(prefixes, p.Masked())
		default:
			if a, perr := netip.ParseAddr(strings.Trim(item, "[]")); perr == nil {
				prefixes = append(prefixes, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			} else {
				hosts = append(hosts, strings.ToLower(item))
			}
		}
	}
	return hosts, prefixes, nil
}

// special are ranges that are never public destinations.
var special = mustPrefixes(
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
	"172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24", "192.168.0.0/16", "198.18.0.0/15",
	"198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4", "255.255.255.255/32",
	"::/128", "::1/128", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
	"fc00::/7", "fe80::/10", "ff00::/8",
)

func mustPrefixes(list ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(list))
	for i, s := range list {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

// Allowed reports whether the policy lets a connection to addr through.
// host is the name the URL used, for host allow entries.
func (p Policy) Allowed(host string, addr netip.Addr) bool {
	addr = addr.Unmap()
	for _, pre := range p.AllowPrefixes {
		if pre.Contains(addr) {
			return true
		}
	}
	for _, h := range p.AllowHosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	for _, pre := range special {
		if pre.Contains(addr) {
			return false
		}
	}
	return true
}

type hostKey struct{}

// Client returns an HTTP client that enforces the policy on every
// connection, including those of redirects.
func (p Policy) Client() *http.Client {
	timeout := p.Timeout
	if timeout == 0 {
		timeout = 30 * time.Second
	}
	dialer := &net.Dialer{
		Timeout: 10 * time.Second,
		// Control runs after resolution, on the address actually dialled.
		ControlContext: func(ctx context.Context, network, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("%w: %s", ErrForbiddenAddress, address)
			}
			host, _ := ctx.Value(hostKey{}).(string)
			if !p.Allowed(host, ap.Addr()) {
				return fmt.Errorf("%w: %s resolves to %s", ErrForbiddenAddress, host, ap.Addr())
			}
			return nil
		},
	}
	transport := &http.Transport{
		Proxy: nil, // a proxy would hide the real destination from the check
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			return dialer.DialContext(context.WithValue(ctx, hostKey{}, host), network, addr)
		},
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: timeout,
		MaxIdleConns:          16,
		IdleConnTimeout:       30 * time.Second,
	}
	return &http.Client{
		Transport: transport,
		Timeout:   timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("outbound: too many redirects")
			}
			return checkScheme(req.URL)
		},
	}
}

func checkScheme(u *url.URL) error {
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%w: %q", ErrScheme, u.Scheme)
	}
	return nil
}

// Fetch GETs rawURL under the policy and returns at most MaxBytes of body
// as a reader the caller must close, with the response's declared length
// (-1 when unknown). Non-2xx statuses are errors.
func (p Policy) Fetch(ctx context.Context, rawURL string) (io.ReadCloser, int64, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, 0, fmt.Errorf("outbound: %w", err)
	}
	if err := checkScheme(u); err != nil {
		return nil, 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, fmt.Errorf("outbound: %w", err)
	}
	resp, err := p.Client().Do(req)
	if err != nil {
		return nil, 0, fmt.Errorf("outbound: GET %s: %w", u.Redacted(), err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		_ = resp.Body.Close()
		return nil, 0, fmt.Errorf("outbound: GET %s: status %d", u.Redacted(), resp.StatusCode)
	}
	limit := p.MaxBytes
	if limit == 0 {
		limit = 50 << 20
	}
	if resp.ContentLength > limit {
		_ = resp.Body.Close()
		return nil, 0, fmt.Errorf("%w: %d bytes declared, limit %d", ErrTooLarge, resp.ContentLength, limit)
	}
	return &cappedBody{r: resp.Body, left: limit}, resp.ContentLength, nil
}

// cappedBody fails with ErrTooLarge instead of silently truncating.
type cappedBody struct {
	r    io.ReadCloser
	left int64
}

func (c *cappedBody) Read(p []byte) (int, error) {
	if c.left <= 0 {
		var one [1]byte
		if n, _ := c.r.Read(one[:]); n > 0 {
			return 0, ErrTooLarge
		}
		return 0, io.EOF
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

func (c *cappedBody) Close() error { return c.r.Close() }
