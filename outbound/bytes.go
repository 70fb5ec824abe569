package outbound

import (
	"context"
	"fmt"
	"io"
)

// FetchBytes GETs rawURL under the policy and returns the whole body (at
// most MaxBytes). Its signature is that of c2pa.ReadOptions.FetchRemote, so
// that remote manifest stores are fetched only under a policy.
func (p Policy) FetchBytes(ctx context.Context, rawURL string) ([]byte, error) {
	body, _, err := p.Fetch(ctx, rawURL)
	if err != nil {
		return nil, err
	}
	defer body.Close()
	b, err := io.ReadAll(body)
	if err != nil {
		return nil, fmt.Errorf("outbound: GET %s: %w", rawURL, err)
	}
	return b, nil
}

// PolicyFromEnv returns the policy allowing what PROVGRAPH_OUTBOUND_ALLOW
// lists (see ParseAllow); lookup is os.LookupEnv or a test's map.
func PolicyFromEnv(lookup func(string) (string, bool)) (Policy, error) {
	v, _ := lookup("PROVGRAPH_OUTBOUND_ALLOW")
	hosts, prefixes, err := ParseAllow(v)
	if err != nil {
		return Policy{}, fmt.Errorf("PROVGRAPH_OUTBOUND_ALLOW: %w", err)
	}
	return Policy{AllowHosts: hosts, AllowPrefixes: prefixes}, nil
}
