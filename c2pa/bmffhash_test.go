package c2pa_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"slices"
	"testing"

	"provgraph/c2pa"
	"provgraph/c2pa/asset/assettest"
	"provgraph/c2pa/status"
	"provgraph/internal/testenv"
)

// TestBMFFFragmentPair validates the DASH media segment mp4/rs-dash1.m4s
// with its initialization segment (c2pa-rs's fragment reading): the oracle
// (verify.mjs --init) reports Valid with assertion.bmffHash.match and only
// the untrusted credential; a changed byte in a segment's mdat, an empty
// segment list, or the initialization segment alone is a bmffHash.mismatch.
func TestBMFFFragmentPair(t *testing.T) {
	anchors, err := os.ReadFile(testenv.Fixture(t, "certs/anchors-all.pem"))
	if err != nil {
		t.Fatal(err)
	}
	init := assettest.ReadFixture(t, "mp4/rs-dashinit.mp4")
	frag := assettest.ReadFixture(t, "mp4/rs-dash1.m4s")
	flipped := slices.Clone(frag)
	mdat := bytes.LastIndex(flipped, []byte("mdat"))
	if mdat < 0 {
		t.Fatal("no mdat in the segment")
	}
	flipped[mdat+100] ^= 1
	mismatch := []string{"assertion.bmffHash.mismatch", "signingCredential.untrusted"}
	for _, tc := range []struct {
		name    string
		frags   [][]byte
		state   string
		fails   []string
		matched bool
	}{
		{"pair", [][]byte{frag}, c2pa.StateValid, []string{"signingCredential.untrusted"}, true},
		{"flipped", [][]byte{flipped}, c2pa.StateInvalid, mismatch, false},
		{"good then flipped", [][]byte{frag, flipped}, c2pa.StateInvalid, mismatch, false},
		{"no fragments", [][]byte{}, c2pa.StateInvalid, mismatch, false},
		{"init alone", nil, c2pa.StateInvalid, mismatch, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opts := c2pa.ReadOptions{TrustAnchors: anchors}
			if tc.frags != nil {
				opts.BMFFFragments = []c2pa.Fragment{}
			}
			for _, f := range tc.frags {
				opts.BMFFFragments = append(opts.BMFFFragments, c2pa.Fragment{R: bytes.NewReader(f), Size: int64(len(f))})
			}
			rep, err := c2pa.Read(context.Background(), bytes.NewReader(init), int64(len(init)), "video/mp4", opts)
			if err != nil {
				t.Fatal(err)
			}
			got := rep.FailureCodes()
			slices.Sort(got)
			if rep.ValidationState != tc.state || !slices.Equal(got, tc.fails) {
				t.Errorf("state %s failures %v, want %s %v", rep.ValidationState, got, tc.state, tc.fails)
			}
			if m := hasCode(rep, "assertion.bmffHash.match"); m != tc.matched {
				t.Errorf("assertion.bmffHash.match logged = %v", m)
			}
		})
	}
}

// hasCode reports whether the report logged code as a success.
func hasCode(rep *c2pa.Report, code string) bool {
	return rep.ValidationResults != nil && slices.ContainsFunc(rep.ValidationResults.ActiveManifest.Success, func(e status.Entry) bool { return string(e.Code) == code })
}

// FuzzReadBMFF reads arbitrary bytes as an MP4, with and without a media
// segment: a report or a *ReadError, never a panic (cryptography skipped).
func FuzzReadBMFF(f *testing.F) {
	for _, rel := range []string{"heic/ts-trustnxt-icon-signed-c2patool.heic", "mp4/rs-dashinit.mp4"} {
		f.Add(assettest.ReadFixture(f, rel))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		opts := c2pa.NoCryptoReadOptions()
		check := func(rep *c2pa.Report, err error) {
			var re *c2pa.ReadError
			if err != nil && !errors.As(err, &re) {
				t.Fatalf("untyped error %T: %v", err, err)
			}
			if err == nil && rep == nil {
				t.Fatal("no report and no error")
			}
		}
		check(c2pa.Read(ctx, bytes.NewReader(data), int64(len(data)), "video/mp4", opts))
		opts.BMFFFragments = []c2pa.Fragment{{R: bytes.NewReader(data), Size: int64(len(data))}}
		check(c2pa.Read(ctx, bytes.NewReader(data), int64(len(data)), "video/mp4", opts))
	})
}

// TestMediaSegmentAlone reads the DASH media segment by itself, as INDEX.tsv
// records it (video/iso.segment): c2pa-rs has no handler for it.
func TestMediaSegmentAlone(t *testing.T) {
	frag := assettest.ReadFixture(t, "mp4/rs-dash1.m4s")
	_, err := c2pa.Read(context.Background(), bytes.NewReader(frag), int64(len(frag)), "video/iso.segment", c2pa.ReadOptions{})
	var re *c2pa.ReadError
	if !errors.As(err, &re) || re.Name != "UnsupportedType" {
		t.Fatalf("err = %v, want C2pa(UnsupportedType) as the oracle reports", err)
	}
}
