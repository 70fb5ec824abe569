package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"provgraph/c2pa"
	_ "provgraph/c2pa/asset/all"
	"provgraph/c2pa/cose"
	"provgraph/c2pa/devsigner"
	"provgraph/c2pa/trust"
	"provgraph/outbound"
)

// newC2PACmd builds "provgraph c2pa": read, verify and sign C2PA manifests.
func newC2PACmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "c2pa",
		Short: "Read, verify and sign C2PA manifests (JPEG, PNG, WebP, WAV, AVI, .c2pa)",
	}
	cmd.AddCommand(newC2PAReadCmd(), newC2PAVerifyCmd(), newC2PASignCmd())
	return cmd
}

func newC2PAReadCmd() *cobra.Command {
	var sidecar string
	cmd := &cobra.Command{
		Use:   "read FILE",
		Short: "Print the manifest report of FILE without checking trust",
		Long: `Print the manifest store report of FILE as JSON, shaped like c2patool's
output (c2pa-rs Reader::json()). No trust anchors are used, so signers are
reported signingCredential.untrusted.
Exit status: 0 when a manifest store was read, 1 when there is none or it
cannot be read (stdout then holds {"error": "<c2pa-rs error>"}).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runC2PARead(cmd, args[0], "", sidecar, false, nil, false)
		},
	}
	cmd.Flags().StringVar(&sidecar, "sidecar", "", "read the manifest store from this .c2pa file instead of FILE")
	return cmd
}

func newC2PAVerifyCmd() *cobra.Command {
	var trust, sidecar string
	var official, remote bool
	var fragments []string
	cmd := &cobra.Command{
		Use:   "verify FILE",
		Short: "Validate FILE's manifests and print the report",
		Long: `Validate the manifest store of FILE and print the report JSON, with
validation_state Invalid, Valid or Trusted. --trust names a PEM bundle of
trust anchors (the only ones used, as c2patool's trust_anchors);
--official-lists adds the embedded C2PA Trust List and TSA Trust List.
Without either no signer is trusted. For a fragmented MP4, FILE is the
initialization segment and each --fragment a media segment checked with it.
A file whose XMP names a remote manifest store is reported with the
RemoteManifestUrl error unless --remote fetches it; a failed fetch is the
RemoteManifestFetch error, as in c2pa-rs.
Exit status: 0 when a manifest store was read (whatever its state), 1 when
there is none or it cannot be read ({"error": "<c2pa-rs error>"}).`,
		Example: `  provgraph c2pa verify photo.jpg --trust anchors.pem
  provgraph c2pa verify photo.jpg --sidecar photo.c2pa
  provgraph c2pa verify init.mp4 --fragment seg1.m4s --fragment seg2.m4s`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runC2PARead(cmd, args[0], trust, sidecar, official, fragments, remote)
		},
	}
	cmd.Flags().StringVar(&trust, "trust", "", "PEM file of trust anchors")
	cmd.Flags().BoolVar(&official, "official-lists", false, "also trust the embedded C2PA Trust List and TSA Trust List")
	cmd.Flags().StringVar(&sidecar, "sidecar", "", "validate this .c2pa manifest store against FILE")
	cmd.Flags().StringArrayVar(&fragments, "fragment", nil, "media segment of the fragmented MP4 FILE initializes (repeatable)")
	cmd.Flags().BoolVar(&remote, "remote", false, "fetch the manifest store FILE's XMP points to when it has none (private and loopback addresses only if PROVGRAPH_OUTBOUND_ALLOW lists them)")
	return cmd
}

// openSized opens path for reading and returns its size; the caller closes it.
func openSized(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

// mediaTypeOf returns the extension of path, which asset lookup accepts.
func mediaTypeOf(path string) string {
	return strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
}

func runC2PARead(cmd *cobra.Command, path, trustPath, sidecarPath string, official bool, fragments []string, remote bool) error {
	var opts c2pa.ReadOptions
	if remote {
		policy, err := outbound.PolicyFromEnv(os.LookupEnv)
		if err != nil {
			return err
		}
		policy.MaxBytes = c2pa.MaxStoreSize
		opts.FetchRemote = policy.FetchBytes
	}
	var anchors []byte
	if trustPath != "" {
		b, err := os.ReadFile(trustPath)
		if err != nil {
			return err
		}
		anchors = b
	}
	store, err := trust.New(trust.Config{NoOfficialLists: !official, Anchors: anchors})
	if err != nil {
		return err
	}
	opts.Trust = store
	if sidecarPath != "" {
		b, err := os.ReadFile(sidecarPath)
		if err != nil {
			return err
		}
		opts.Sidecar = b
	}
	for _, fp := range fragments {
		ff, size, err := openSized(fp)
		if err != nil {
			return err
		}
		defer ff.Close()
		opts.BMFFFragments = append(opts.BMFFFragments, c2pa.Fragment{R: ff, Size: size})
	}
	f, size, err := openSized(path)
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := c2pa.Read(cmd.Context(), f, size, mediaTypeOf(path), opts)
	out := cmd.OutOrStdout()
	if err != nil {
		msg := err.Error()
		var re *c2pa.ReadError
		if !errors.As(err, &re) {
			msg = fmt.Sprintf("C2pa(InvalidAsset(%q))", err.Error())
		}
		b, _ := json.MarshalIndent(map[string]string{"error": msg}, "", "  ")
		fmt.Fprintln(out, string(b))
		return exitError{code: 1}
	}
	b, err := rep.JSON()
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(out, string(b))
	return err
}

func newC2PASignCmd() *cobra.Command {
	var certPath, keyPath, manifestPath, dataDir, alg, tsaURL, parentPath string
	var sidecar, noThumbnail bool
	cmd := &cobra.Command{
		Use:   "sign IN OUT",
		Short: "Sign IN with a new manifest and write OUT",
		Long: `Add a C2PA manifest to IN and write the result to OUT. The manifest
definition (--manifest) is the JSON c2patool takes: claim_generator_info,
title, assertions, ingredients. A file that already has Content Credentials
keeps them: its active manifest becomes the parentOf ingredient. With
--parent FILE, FILE is the parentOf ingredient instead (its manifests, if
any, are copied in and IN's own store is replaced), as c2patool -p.
The key and chain come from --cert and --key (the algorithm follows the
key); without them the development signer of the data folder is used
(<data>/signer/, its root is <data>/signer/root.pem). With --sidecar, OUT
is the manifest store alone (.c2pa) and IN is left untouched. An image
the engine decodes (JPEG, PNG, GIF, WebP, TIFF, BMP) gets a claim
thumbnail (JPEG, or PNG when transparent), long edge 1024 pixels, as
c2pa-rs adds by default; images over 16 Mpixels (64 MiB decoded) are not
decoded and get none. --no-thumbnail (or "no_thumbnail": true in the
definition) turns thumbnails off.`,
		Example: `  provgraph c2pa sign in.jpg out.jpg --cert chain.pem --key key.pem
  provgraph c2pa sign in.png out.c2pa --sidecar --manifest def.json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (certPath == "") != (keyPath == "") {
				return errors.New("--cert and --key go together")
			}
			signer, err := loadC2PASigner(certPath, keyPath, dataDir, alg)
			if err != nil {
				return err
			}
			if tsaURL != "" {
				signer.TimeStamper = &cose.TSAClient{URL: tsaURL}
			}
			def := &c2pa.ManifestDefinition{Title: filepath.Base(args[1])}
			if manifestPath != "" {
				b, err := os.ReadFile(manifestPath)
				if err != nil {
					return err
				}
				if def, err = c2pa.ParseManifestDefinition(b); err != nil {
					return err
				}
				if def.Title == "" {
					def.Title = filepath.Base(args[1])
				}
			}
			if noThumbnail {
				def.NoThumbnail = true
			}
			if parentPath != "" {
				pf, size, err := openSized(parentPath)
				if err != nil {
					return err
				}
				defer pf.Close()
				def.Parent = &c2pa.ParentAsset{R: pf, Size: size, MediaType: mediaTypeOf(parentPath), Title: filepath.Base(parentPath)}
			}
			return runC2PASign(cmd.Context(), args[0], args[1], def, signer, sidecar)
		},
	}
	cmd.Flags().StringVar(&certPath, "cert", "", "PEM certificate chain, leaf first")
	cmd.Flags().StringVar(&keyPath, "key", "", "PEM private key")
	cmd.Flags().StringVar(&manifestPath, "manifest", "", "manifest definition JSON")
	cmd.Flags().StringVar(&dataDir, "data", envOr("PROVGRAPH_DATA", "./data"), "data folder holding the development signer (env PROVGRAPH_DATA)")
	cmd.Flags().StringVar(&alg, "alg", "", "signing algorithm (es256 … ps512, ed25519); default from the key")
	cmd.Flags().BoolVar(&sidecar, "sidecar", false, "write OUT as a .c2pa manifest store, leaving IN untouched")
	cmd.Flags().StringVar(&tsaURL, "tsa", "", "RFC 3161 time-stamp authority URL (sigTst2 over the signature)")
	cmd.Flags().BoolVar(&noThumbnail, "no-thumbnail", false, "add no thumbnails (by default JPEG, PNG, GIF, WebP, TIFF and BMP images up to 16 Mpixels get a 1024-pixel claim thumbnail)")
	cmd.Flags().StringVar(&parentPath, "parent", "", "asset IN was made from: its parentOf ingredient, with its Content Credentials if it has any (c2patool -p)")
	return cmd
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

func runC2PASign(ctx context.Context, in, out string, def *c2pa.ManifestDefinition, signer *c2pa.Signer, sidecar bool) error {
	if ctx == nil {
		ctx = context.Background()
	}
	f, size, err := openSized(in)
	if err != nil {
		return err
	}
	defer f.Close()
	if same, _ := sameFile(in, out); same {
		return errors.New("OUT must differ from IN")
	}
	tmp, err := os.CreateTemp(filepath.Dir(out), ".provgraph-sign-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := io.Writer(tmp)
	if sidecar {
		err = c2pa.SignSidecar(ctx, f, size, mediaTypeOf(in), w, def, signer)
	} else {
		err = c2pa.Sign(ctx, f, size, mediaTypeOf(in), w, def, signer)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), out)
}

func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

// loadC2PASigner loads the signer from --cert/--key, or the development
// signer of the data folder.
func loadC2PASigner(certPath, keyPath, dataDir, alg string) (*c2pa.Signer, error) {
	if certPath == "" {
		ds, err := devsigner.Dev(dataDir)
		if err != nil {
			return nil, err
		}
		s := c2pa.FromDevSigner(ds.Signer)
		if alg != "" {
			if err := s.SetAlgorithm(alg); err != nil {
				return nil, err
			}
		}
		return s, nil
	}
	chain, err := os.ReadFile(certPath)
	if err != nil {
		return nil, err
	}
	key, err := os.ReadFile(keyPath)
	if err != nil {
		return nil, err
	}
	s, err := c2pa.LoadSigner(chain, key)
	if err != nil {
		return nil, err
	}
	if alg != "" {
		if err := s.SetAlgorithm(alg); err != nil {
			return nil, err
		}
	}
	return s, nil
}
