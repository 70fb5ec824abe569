package config_test

import (
	"strings"
	"testing"

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
