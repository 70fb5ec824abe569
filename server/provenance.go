package server

import (
	"fmt"
	"os"
	"path/filepath"

	"provgraph/c2pa"
	"provgraph/c2pa/devsigner"
	"provgraph/c2pa/trust"
	"provgraph/config"
	"provgraph/download"
	"provgraph/ent"
	"provgraph/events"
	"provgraph/quota"
	"provgraph/signing"
	"provgraph/storage"
	"provgraph/verifications"
)

// secretFile is where the generated download secret is kept under the
// data folder when PROVGRAPH_SECRET is not set.
const secretFile = "secret"

// provenance is the signing and verification side of the server.
type provenance struct {
	signing       *signing.Service
	verifications *verifications.Service
	downloads     *download.Signer
	// trust is the instance trust store, shared with the scans of uploads.
	trust *trust.Store
}

// newProvenance builds the trust store (the embedded C2PA trust list plus
// --trust-anchors), the signer (--signer-cert/--signer-key, else the
// development signer under --data), the download-token signer and the
// services over them.
func newProvenance(cfg config.Config, client *ent.Client, store *storage.Store, ev *events.Service, q *quota.Service) (*provenance, error) {
	var anchors []byte
	if cfg.TrustAnchors != "" {
		b, err := os.ReadFile(cfg.TrustAnchors)
		if err != nil {
			return nil, fmt.Errorf("--trust-anchors: %w", err)
		}
		anchors = b
	}
	ts, err := trust.New(trust.Config{Anchors: anchors})
	if err != nil {
		return nil, fmt.Errorf("--trust-anchors: %w", err)
	}
	signer, err := loadSigner(cfg)
	if err != nil {
		return nil, err
	}
	secret := []byte(cfg.Secret)
	if len(secret) == 0 {
		if secret, err = download.LoadOrCreateSecret(filepath.Join(cfg.DataDir, secretFile)); err != nil {
			return nil, err
		}
	}
	downloads, err := download.NewSigner(secret, nil)
	if err != nil {
		return nil, err
	}
	v := verifications.NewService(client, store, verifications.Options{
		Trust:     ts,
		TTL:       cfg.VerificationTTL,
		PublicURL: cfg.PublicURL,
		Events:    ev,
		Quota:     q,
	})
	s := signing.NewService(client, store, v, ev, signing.Options{
		Signer:      signer,
		Downloads:   downloads,
		DownloadTTL: cfg.DownloadTTL,
		PublicURL:   cfg.PublicURL,
		Quota:       q,
	})
	return &provenance{signing: s, verifications: v, downloads: downloads, trust: ts}, nil
}

// loadSigner returns the configured signer, else the development signer
// (created under --data on first use).
func loadSigner(cfg config.Config) (*c2pa.Signer, error) {
	if cfg.SignerCert == "" {
		ds, err := devsigner.Dev(cfg.DataDir)
		if err != nil {
			return nil, err
		}
		return c2pa.FromDevSigner(ds.Signer), nil
	}
	chain, err := os.ReadFile(cfg.SignerCert)
	if err != nil {
		return nil, fmt.Errorf("--signer-cert: %w", err)
	}
	key, err := os.ReadFile(cfg.SignerKey)
	if err != nil {
		return nil, fmt.Errorf("--signer-key: %w", err)
	}
	s, err := c2pa.LoadSigner(chain, key)
	if err != nil {
		return nil, fmt.Errorf("--signer-cert/--signer-key: %w", err)
	}
	return s, nil
}
