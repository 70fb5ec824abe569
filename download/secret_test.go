package download_test

import (
	"os"
	"path/filepath"
	"testing"

	"provgraph/download"
)

func TestLoadOrCreateSecret(t *testing.T) {
	tests := []struct {
		name    string
		content string // "" creates no file first
		wantErr bool
	}{
		{name: "created on first use"},
		{name: "kept", content: "0123456789abcdef0123456789abcdef0123456789abcdef\n"},
		{name: "too short", content: "short\n", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "data", "secret")
			if tt.content != "" {
				if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(tt.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			first, err := download.LoadOrCreateSecret(path)
			if tt.wantErr {
				if err == nil {
					t.Fatal("want an error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			again, err := download.LoadOrCreateSecret(path)
			if err != nil || string(again) != string(first) {
				t.Fatalf("second load = %q, %v; want the same secret %q", again, err, first)
			}
			st, err := os.Stat(path)
			if err != nil {
				t.Fatal(err)
			}
			if tt.content == "" && st.Mode().Perm() != 0o600 {
				t.Errorf("secret file mode %v, want 0600", st.Mode().Perm())
			}
			if _, err := download.NewSigner(first, nil); err != nil {
				t.Errorf("the secret does not make a signer: %v", err)
			}
		})
	}
}
