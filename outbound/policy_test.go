package outbound_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"

	"provgraph/outbound"
)

func TestAllowed(t *testing.T) {
	hosts, prefixes, err := outbound.ParseAllow(" 127.0.0.1 ,10.1.0.0/16,minio.internal")
	if err != nil {
		t.Fatal(err)
	}
	open := outbound.Policy{}
	allow := outbound.Policy{AllowHosts: hosts, AllowPrefixes: prefixes}
	cases := []struct {
		host, addr      string
		open, withAllow bool
	}{
		{"example.org", "93.184.215.14", true, true},
		{"example.org", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", true, true},
		{"localhost", "127.0.0.1", false, true},
		{"x", "127.0.0.2", false, false},
		{"x", "::1", false, false},
		{"x", "::ffff:127.0.0.1", false, true},
		{"x", "10.1.2.3", false, true},
		{"x", "10.2.0.1", false, false},
		{"minio.internal", "10.9.9.9", false, true},
		{"x", "172.16.0.1", false, false},
		{"x", "192.168.1.1", false, false},
		{"x", "169.254.169.254", false, false},
		{"x", "100.64.0.1", false, false},
		{"x", "fe80::1", false, false},
		{"x", "fd00::1", false, false},
		{"x", "0.0.0.0", false, false},
		{"x", "224.0.0.1", false, false},
	}
	for _, c := range cases {
		a := netip.MustParseAddr(c.addr)
		if got := open.Allowed(c.host, a); got != c.open {
			t.Errorf("default policy %s/%s: %v, want %v", c.host, c.addr, got, c.open)
		}
		if got := allow.Allowed(c.host, a); got != c.withAllow {
			t.Errorf("allow policy %s/%s: %v, want %v", c.host, c.addr, got, c.withAllow)
		}
	}
	if _, _, err := outbound.ParseAllow("10.0.0.0/99"); err == nil {
		t.Fatal("a bad CIDR must be refused")
	}
}

func TestFetchRefusesLoopbackUnlessAllowed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/big" {
			fmt.Fprint(w, strings.Repeat("x", 2000))
			return
		}
		if r.URL.Path == "/stream" { // no Content-Length: the cap must hold while reading
			for i := 0; i < 20; i++ {
				fmt.Fprint(w, strings.Repeat("y", 100))
				w.(http.Flusher).Flush()
			}
			return
		}
		if r.URL.Path == "/redirect" {
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
			return
		}
		fmt.Fprint(w, "hello")
	}))
	defer srv.Close()
	ctx := context.Background()

	// Refused at connect time, by the default policy.
	_, _, err := outbound.Policy{}.Fetch(ctx, srv.URL+"/x")
	if !errors.Is(err, outbound.ErrForbiddenAddress) {
		t.Fatalf("loopback fetch: %v, want ErrForbiddenAddress", err)
	}
	// "localhost" resolves to loopback: refused after resolution too.
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(srv.URL, "http://"))
	if _, _, err := (outbound.Policy{}).Fetch(ctx, "http://localhost:"+port+"/x"); !errors.Is(err, outbound.ErrForbiddenAddress) {
		t.Fatalf("localhost fetch: %v, want ErrForbiddenAddress", err)
	}

	_, prefixes, _ := outbound.ParseAllow("127.0.0.1")
	p := outbound.Policy{AllowPrefixes: prefixes, MaxBytes: 1000}
	body, _, err := p.Fetch(ctx, srv.URL+"/x")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(body)
	_ = body.Close()
	if string(got) != "hello" {
		t.Fatalf("body %q", got)
	}
	if _, _, err := p.Fetch(ctx, srv.URL+"/big"); !errors.Is(err, outbound.ErrTooLarge) {
		t.Fatalf("declared oversize: %v", err)
	}
	body, _, err = p.Fetch(ctx, srv.URL+"/stream")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(body); !errors.Is(err, outbound.ErrTooLarge) {
		t.Fatalf("streamed oversize: %v, want ErrTooLarge", err)
	}
	_ = body.Close()
	if _, _, err := p.Fetch(ctx, "file:///etc/passwd"); !errors.Is(err, outbound.ErrScheme) {
		t.Fatalf("file URL: %v", err)
	}
	if _, _, err := p.Fetch(ctx, srv.URL+"/redirect"); !errors.Is(err, outbound.ErrScheme) {
		t.Fatalf("redirect to file URL: %v", err)
	}
}
