package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"provgraph/config"
)

func TestBindAndValidate(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		args    []string
		check   func(t *testing.T, c config.Config)
		wantErr string
	}{
		{
			name: "defaults",
			check: func(t *testing.T, c config.Config) {
				if c.Addr != ":8080" || c.DataDir != "./data" || c.StorageURL != "data/blobs" {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "env",
			env:  map[string]string{"PROVGRAPH_ADDR": "127.0.0.1:9000", "DATABASE_URL": "postgres://x@h/db", "PROVGRAPH_ADMIN_KEY": "k"},
			check: func(t *testing.T, c config.Config) {
				if c.Addr != "127.0.0.1:9000" || c.DatabaseURL != "postgres://x@h/db" || c.AdminKey != "k" {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "flag beats env",
			env:  map[string]string{"PROVGRAPH_ADDR": "127.0.0.1:9000"},
			args: []string{"--addr", "127.0.0.1:9001", "--data", "/tmp/d"},
			check: func(t *testing.T, c config.Config) {
				if c.Addr != "127.0.0.1:9001" || c.StorageURL != "/tmp/d/blobs" {
					t.Errorf("got %+v", c)
				}
			},
		},
		{name: "bad addr", args: []string{"--addr", "nope"}, wantErr: "--addr"},
		{name: "bad database url", args: []string{"--database-url", "mysql://x"}, wantErr: "--database-url"},
		{name: "bad public url", args: []string{"--public-url", "example.com"}, wantErr: "--public-url"},
		{name: "bad env number", env: map[string]string{"PROVGRAPH_MAX_UPLOAD_BYTES": "lots"}, wantErr: "PROVGRAPH_MAX_UPLOAD_BYTES"},
		{
			name: "signing and verification defaults",
			args: []string{"--addr", ":9090"},
			check: func(t *testing.T, c config.Config) {
				if c.PublicURL != "http://localhost:9090" || c.VerificationTTL != time.Hour || c.DownloadTTL != 10*time.Minute || c.TrustAnchors != "" || c.Secret != "" {
					t.Errorf("got %+v", c)
				}
			},
		},
		{
			name: "signing and verification settings",
			env:  map[string]string{"PROVGRAPH_SECRET": strings.Repeat("s", 32), "PROVGRAPH_DOWNLOAD_TTL": "2m"},
			args: []string{"--public-url", "https://p.example/", "--signer-cert", "c.pem", "--signer-key", "k.pem", "--trust-anchors", "a.pem", "--verification-ttl", "30m"},
			check: func(t *testing.T, c config.Config) {
				if c.PublicURL != "https://p.example" || c.SignerCert != "c.pem" || c.SignerKey != "k.pem" || c.TrustAnchors != "a.pem" ||
					c.VerificationTTL != 30*time.Minute || c.DownloadTTL != 2*time.Minute || len(c.Secret) != 32 {
					t.Errorf("got %+v", c)
				}
			},
		},
		{name: "signer cert without key", args: []string{"--signer-cert", "c.pem"}, wantErr: "--signer-key"},
		{name: "short secret", env: map[string]string{"PROVGRAPH_SECRET": "short"}, wantErr: "PROVGRAPH_SECRET"},
		{name: "zero download ttl", args: []string{"--download-ttl", "0s"}, wantErr: "--download-ttl"},
		{name: "bad verification ttl", env: map[string]string{"PROVGRAPH_VERIFICATION_TTL": "soon"}, wantErr: "PROVGRAPH_VERIFICATION_TTL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := config.Default()
			fs := pflag.NewFlagSet("test", pflag.ContinueOnError)
			lookup := func(k string) (string, bool) { v, ok := tt.env[k]; return v, ok }
			err := c.Bind(fs, lookup)
			if err == nil {
				err = fs.Parse(tt.args)
			}
			if err == nil {
				err = c.Validate()
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}
