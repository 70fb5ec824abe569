package scan_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"provgraph/internal/testenv"
	"provgraph/scan"
)

// scanPath scans one file with opts.
func scanPath(t *testing.T, path string, opts scan.Options) *scan.Report {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := scan.Scan(context.Background(), f, st.Size(), opts)
	if err != nil {
		t.Fatalf("Scan(%s): %v", path, err)
	}
	return rep
}

// want is what a scan of one file must report; empty fields are not
// checked.
type want struct {
	mediaType   string
	hasC2PA     bool
	hasXMP      bool
	verdict     scan.Verdict
	aiModel     string // "" means aiModel must be null
	dsts        []string
	state       string // C2PA validation state
	generator   string // substring of the claim generator
	agent       string // one of the software agents
	conflicting bool
	fields      map[string]string // raw field -> substring of its value
	c2paError   bool
	reason      string // substring of the reason
}

func check(t *testing.T, rep *scan.Report, w want) {
	t.Helper()
	if w.mediaType != "" && rep.MediaType != w.mediaType {
		t.Errorf("mediaType = %s, want %s", rep.MediaType, w.mediaType)
	}
	if rep.HasC2PA != w.hasC2PA {
		t.Errorf("hasC2PA = %v, want %v", rep.HasC2PA, w.hasC2PA)
	}
	if rep.HasXMP != w.hasXMP {
		t.Errorf("hasXMP = %v, want %v", rep.HasXMP, w.hasXMP)
	}
	if rep.Verdict != w.verdict {
		t.Errorf("verdict = %s (%s), want %s", rep.Verdict, rep.Reason, w.verdict)
	}
	switch {
	case w.aiModel == "" && rep.AIModel != nil:
		t.Errorf("aiModel = %s (from %+v), want null", *rep.AIModel, rep.AIModelEvidence)
	case w.aiModel != "" && (rep.AIModel == nil || *rep.AIModel != w.aiModel):
		got := "null"
		if rep.AIModel != nil {
			got = *rep.AIModel
		}
		t.Errorf("aiModel = %s, want %s", got, w.aiModel)
	}
	if w.aiModel != "" && (rep.AIModelEvidence == nil || rep.AIModelEvidence.Value == "") {
		t.Errorf("aiModel %s has no evidence", w.aiModel)
	}
	for _, d := range w.dsts {
		if !slices.Contains(rep.DigitalSourceTypes, d) {
			t.Errorf("digitalSourceTypes = %v, missing %s", rep.DigitalSourceTypes, d)
		}
	}
	if w.state != "" || w.generator != "" || w.agent != "" || w.c2paError {
		if rep.C2PA == nil {
			t.Fatalf("no C2PA summary; want state %q", w.state)
		}
		if rep.C2PA.ValidationState != w.state {
			t.Errorf("validation state = %q, want %q", rep.C2PA.ValidationState, w.state)
		}
		if !strings.Contains(rep.C2PA.ClaimGenerator, w.generator) {
			t.Errorf("claim generator = %q, want it to contain %q", rep.C2PA.ClaimGenerator, w.generator)
		}
		if w.agent != "" && !slices.Contains(rep.C2PA.SoftwareAgents, w.agent) {
			t.Errorf("software agents = %q, want %q", rep.C2PA.SoftwareAgents, w.agent)
		}
		if w.c2paError != (rep.C2PA.Error != "") {
			t.Errorf("C2PA error = %q, want error: %v", rep.C2PA.Error, w.c2paError)
		}
		if w.state != "" && len(rep.C2PAManifest) == 0 {
			t.Errorf("c2paManifest is empty for a read manifest")
		}
	}
	if rep.Conflicting != w.conflicting {
		t.Errorf("conflicting = %v, want %v; evidence %+v", rep.Conflicting, w.conflicting, rep.Evidence)
	}
	for k, v := range w.fields {
		if got, ok := rep.RawFields[k]; !ok || !strings.Contains(got, v) {
			t.Errorf("rawFields[%s] = %q, want it to contain %q", k, got, v)
		}
	}
	if rep.Reason == "" || !strings.Contains(rep.Reason, w.reason) {
		t.Errorf("reason %q, want it to contain %q", rep.Reason, w.reason)
	}
}

// c2paFixtureCases are real files from other people's tools, judged with
// the c2pa-rs oracle as the C2PA reader.
var c2paFixtureCases = []struct {
	file string
	want want
}{
	{"png/ts-amazon-titan-g1.png", want{mediaType: scan.MediaPNG, hasC2PA: true, verdict: scan.VerdictDeclaredAI, aiModel: "amazon-titan",
		dsts: []string{"trainedAlgorithmicMedia"}, state: "Valid", generator: "Amazon", agent: "Titan Image Generator G1",
		reason: "a C2PA manifest that validates (Valid) declares an AI digital source type (trainedAlgorithmicMedia)"}},
	{"jpeg/ms-bing_creator_cloud_surfing_puppy.jpg", want{mediaType: scan.MediaJPEG, hasC2PA: true, verdict: scan.VerdictHintedAI,
		aiModel: "bing-image-creator", state: "Invalid", generator: "Microsoft_Responsible_AI", agent: "Image Creator from Designer",
		reason: "does not validate (Invalid: signingCredential.untrusted"}},
	{"jpeg/rs-ocsp.jpg", want{hasC2PA: true, verdict: scan.VerdictDeclaredAI, aiModel: "adobe-firefly",
		dsts: []string{"compositeWithTrainedAlgorithmicMedia"}, state: "Valid", generator: "Adobe_Photoshop", agent: "Adobe Firefly"}},
	{"pdf/pt-adobe-20240110-single_manifest_store.pdf", want{mediaType: scan.MediaPDF, hasC2PA: true, hasXMP: true, verdict: scan.VerdictDeclaredAI,
		aiModel: "adobe-firefly", dsts: []string{"trainedAlgorithmicMedia"}, state: "Valid", generator: "Adobe_Express"}},
	// Google's validator files declare AI but do not validate here (the
	// oracle reports Invalid), so they only hint.
	{"png/google-png_valid.png", want{hasC2PA: true, hasXMP: true, verdict: scan.VerdictHintedAI, dsts: []string{"trainedAlgorithmicMedia"}, state: "Invalid", generator: "Google",
		fields: map[string]string{"XMP:Identifier": "003038812"}}}, // XMP hex-encoded in an ImageMagick raw profile
	{"mp4/google-mp4_valid.mp4", want{mediaType: scan.MediaMP4, hasC2PA: true, verdict: scan.VerdictHintedAI, dsts: []string{"trainedAlgorithmicMedia"}, state: "Invalid", generator: "Google"}},
	{"mp3/google-mp3_valid.mp3", want{mediaType: scan.MediaMP3, hasC2PA: true, verdict: scan.VerdictHintedAI, dsts: []string{"trainedAlgorithmicMedia"}, state: "Invalid", generator: "Google"}},
	// A Pixel photo: computational capture, enhanced and human-edited.
	{"jpeg/lr-PXL_20260208_202351558.jpg", want{hasC2PA: true, hasXMP: true, verdict: scan.VerdictNoAIMarking,
		dsts: []string{"algorithmicallyEnhanced", "humanEdits", "computationalCapture"}, state: "Trusted", generator: "Google C2PA Core Generator Library"}},
	{"jpeg/rs-C_with_CAWG_data.jpg", want{hasC2PA: true, verdict: scan.VerdictNoAIMarking, dsts: []string{"digitalCapture"}, state: "Valid"}},
	{"jpeg/rs-CA.jpg", want{hasC2PA: true, verdict: scan.VerdictNoAIMarking, state: "Trusted", generator: "make_test_images"}},
	// c2pa-rs test images declare algorithmicMedia: synthetic, not AI.
	{"tiff/rs-bench-100kb-signed.tiff", want{mediaType: scan.MediaTIFF, hasC2PA: true, verdict: scan.VerdictNoAIMarking, dsts: []string{"algorithmicMedia"}, state: "Trusted", agent: "TestApp 1.0",
		reason: "synthetic, not trained-model"}},
	{"gif/rs-bench-100kb-signed.gif", want{mediaType: scan.MediaGIF, hasC2PA: true, verdict: scan.VerdictNoAIMarking, dsts: []string{"algorithmicMedia"}, state: "Trusted"}},
	{"wav/py-sample1_signed.wav", want{mediaType: scan.MediaWAV, hasC2PA: true, verdict: scan.VerdictNoAIMarking, dsts: []string{"empty"}, state: "Trusted",
		fields: map[string]string{"RIFF:INAM": "Impact Moderato", "RIFF:IART": "Kevin MacLeod"}}}, // LIST/INFO
	{"wav/rs-bench-100kb-signed.wav", want{mediaType: scan.MediaWAV, hasC2PA: true, verdict: scan.VerdictNoAIMarking, dsts: []string{"algorithmicMedia"}, state: "Trusted"}},
	{"dng/py-C.dng", want{mediaType: scan.MediaDNG, hasC2PA: true, hasXMP: true, verdict: scan.VerdictNoAIMarking, state: "Trusted",
		fields: map[string]string{"EXIF:Software": "Lightroom"}}},
	{"heic/ts-trustnxt-icon-signed-c2patool.heic", want{mediaType: scan.MediaHEIC, hasC2PA: true, verdict: scan.VerdictNoAIMarking, state: "Trusted"}},
	{"avif/ms-cards_trusted.avif", want{mediaType: scan.MediaAVIF, hasC2PA: true, hasXMP: true, verdict: scan.VerdictNoAIMarking, state: "Invalid"}},
	{"webp/ms-cards_trusted.webp", want{mediaType: scan.MediaWebP, hasC2PA: true, verdict: scan.VerdictNoAIMarking, state: "Invalid"}},
	{"avi/jsl-sample.avi", want{mediaType: scan.MediaAVI, hasC2PA: true, verdict: scan.VerdictNoAIMarking, state: "Trusted",
		fields: map[string]string{"RIFF:ISFT": "Lavf57.19.100"}}},
	{"mp4/rs-video1.mp4", want{mediaType: scan.MediaMP4, hasC2PA: true, hasXMP: true, verdict: scan.VerdictNoAIMarking, state: "Valid"}},
	{"svg/rs-compat-0.33.0-embedded.svg", want{mediaType: scan.MediaSVG, hasC2PA: true, verdict: scan.VerdictNoAIMarking, state: "Trusted"}},
	{"mov/rs-c.mov", want{mediaType: scan.MediaMOV, verdict: scan.VerdictNoAIMarking,
		fields: map[string]string{"BMFF:software": "macOS 14.6.1", "BMFF:make": "Apple"}}}, // QuickTime mdta keys
	{"m4a/rs-sample1.m4a", want{mediaType: scan.MediaM4A, verdict: scan.VerdictNoAIMarking,
		fields: map[string]string{"BMFF:encoder": "Music 1.4.6.32"}}}, // iTunes ilst
	{"jpeg/rs-no_manifest.jpg", want{hasXMP: true, verdict: scan.VerdictNoAIMarking}},
	// A store c2pa-rs refuses to read: present, unreadable.
	{"jpeg/rs-no_alg.jpg", want{hasC2PA: true, verdict: scan.VerdictNoAIMarking, c2paError: true}},
	// A remote manifest: XMP dcterms:provenance only, nothing embedded.
	// The oracle runs with --no-remote, so the store is not fetched.
	{"jpeg/rs-cloud.jpg", want{hasXMP: true, verdict: scan.VerdictNoAIMarking, c2paError: true, reason: "could not be read",
		fields: map[string]string{"XMP:Provenance": "https://cai-manifests.adobe.com/"}}},
}

// generatedCases are the files of testdata/ (see testdata/gen.sh).
var generatedCases = []struct {
	file string
	want want
}{
	{"c2pa-ai.jpg", want{hasC2PA: true, verdict: scan.VerdictDeclaredAI, dsts: []string{"trainedAlgorithmicMedia"}, state: "Trusted"}},
	{"c2pa-capture.png", want{hasC2PA: true, verdict: scan.VerdictNoAIMarking, dsts: []string{"digitalCapture"}, state: "Trusted"}},
	// The signature no longer matches the bytes: AI is only hinted.
	{"c2pa-ai-tampered.jpg", want{hasC2PA: true, verdict: scan.VerdictHintedAI, dsts: []string{"trainedAlgorithmicMedia"}, state: "Invalid",
		fields: map[string]string{"JPEG:Comment": "edited after signing"}, reason: "does not validate (Invalid: assertion.dataHash.mismatch)"}},
	// Signed as a camera capture over unsigned XMP that says AI.
	{"conflict.jpg", want{hasC2PA: true, hasXMP: true, verdict: scan.VerdictHintedAI, aiModel: "midjourney",
		dsts: []string{"digitalCapture", "trainedAlgorithmicMedia"}, state: "Trusted", conflicting: true,
		reason: "conflicting evidence: C2PA:c2pa.created:DigitalSourceType says captured, XMP:DigitalSourceType says ai-generated"}},
}

func TestScanC2PAFixtures(t *testing.T) {
	var paths []string
	for _, tc := range c2paFixtureCases {
		paths = append(paths, testenv.Fixture(t, "c2pa/"+tc.file))
	}
	for _, tc := range generatedCases {
		paths = append(paths, filepath.Join("testdata", tc.file))
	}
	opts := scan.Options{C2PA: oracleReader(t, paths...)}
	for _, tc := range c2paFixtureCases {
		t.Run(tc.file, func(t *testing.T) {
			check(t, scanPath(t, testenv.Fixture(t, "c2pa/"+tc.file), opts), tc.want)
		})
	}
	for _, tc := range generatedCases {
		t.Run(tc.file, func(t *testing.T) {
			check(t, scanPath(t, filepath.Join("testdata", tc.file), opts), tc.want)
		})
	}
}

// The conflict file must carry both sides of the story.
func TestScanConflictEvidence(t *testing.T) {
	opts := scan.Options{C2PA: oracleReader(t, filepath.Join("testdata", "conflict.jpg"))}
	rep := scanPath(t, filepath.Join("testdata", "conflict.jpg"), opts)
	var signedCapture, unsignedAI bool
	for _, e := range rep.Evidence {
		signedCapture = signedCapture || e.Source == "c2pa" && e.Indicates == scan.IndicatesCaptured
		unsignedAI = unsignedAI || e.Source == "xmp" && e.Field == "XMP:DigitalSourceType" && e.Indicates == scan.IndicatesAIGenerated
	}
	if !signedCapture || !unsignedAI {
		t.Errorf("evidence lacks a side (signed capture %v, unsigned AI %v): %+v", signedCapture, unsignedAI, rep.Evidence)
	}
	if !strings.Contains(rep.Reason, "conflicting") {
		t.Errorf("reason does not mention the conflict: %s", rep.Reason)
	}
}

// Without a C2PA reader nothing is trusted: manifests are detected, and
// metadata still hints.
func TestScanMetadataOnly(t *testing.T) {
	xmpFields := map[string]string{
		"XMP:DigitalSourceType":   "trainedAlgorithmicMedia",
		"XMP:CreatorTool":         "Midjourney",
		"XMP:AISystemUsed":        "Midjourney v6.1",
		"XMP:AIPromptInformation": "lighthouse",
		"XMP:Credit":              "Made with AI",
		"XMP:Creator":             "provgraph test suite",
		"XMP:DataMining":          "DMI-PROHIBITED-AIMLTRAINING",
	}
	params := "Steps: 30, Sampler: DPM++ 2M Karras"
	cases := []struct {
		file string
		want want
	}{
		{"xmp-ai.jpg", want{mediaType: scan.MediaJPEG, hasXMP: true, verdict: scan.VerdictHintedAI, aiModel: "midjourney", dsts: []string{"trainedAlgorithmicMedia"}, fields: xmpFields}},
		{"xmp-ai.png", want{mediaType: scan.MediaPNG, hasXMP: true, verdict: scan.VerdictHintedAI, aiModel: "midjourney", dsts: []string{"trainedAlgorithmicMedia"}, fields: xmpFields}},
		{"xmp-ai.webp", want{mediaType: scan.MediaWebP, hasXMP: true, verdict: scan.VerdictHintedAI, aiModel: "midjourney", dsts: []string{"trainedAlgorithmicMedia"}, fields: xmpFields}},
		{"xmp-ai.gif", want{mediaType: scan.MediaGIF, hasXMP: true, verdict: scan.VerdictHintedAI, aiModel: "midjourney", dsts: []string{"trainedAlgorithmicMedia"},
			fields: map[string]string{"GIF:Comment": "Generated with AI", "XMP:DigitalSourceType": "trainedAlgorithmicMedia"}}},
		{"xmp-ai.tif", want{mediaType: scan.MediaTIFF, hasXMP: true, verdict: scan.VerdictHintedAI, aiModel: "midjourney", dsts: []string{"trainedAlgorithmicMedia"},
			fields: map[string]string{"EXIF:Software": "DALL-E 3", "XMP:AISystemUsed": "Midjourney"}}},
		{"xmp-ai.heic", want{mediaType: scan.MediaHEIC, hasXMP: true, verdict: scan.VerdictHintedAI, aiModel: "midjourney", dsts: []string{"trainedAlgorithmicMedia"},
			fields: map[string]string{"EXIF:Software": "Adobe Firefly"}}},
		{"xmp-ai.avif", want{mediaType: scan.MediaAVIF, hasXMP: true, verdict: scan.VerdictHintedAI, aiModel: "midjourney", dsts: []string{"trainedAlgorithmicMedia"}, fields: xmpFields}},
		{"a1111.png", want{mediaType: scan.MediaPNG, verdict: scan.VerdictHintedAI, aiModel: "stable-diffusion-xl", fields: map[string]string{"PNG:parameters": params}}},
		{"a1111.jpg", want{mediaType: scan.MediaJPEG, verdict: scan.VerdictHintedAI, aiModel: "stable-diffusion-xl", fields: map[string]string{"EXIF:UserComment": params}}},
		{"comfyui.png", want{verdict: scan.VerdictHintedAI, aiModel: "flux-1-dev", fields: map[string]string{"PNG:prompt": "CheckpointLoaderSimple", "PNG:workflow": "KSampler"}}},
		{"novelai.png", want{verdict: scan.VerdictHintedAI, aiModel: "novelai", fields: map[string]string{"PNG:Software": "NovelAI", "PNG:Comment": "k_euler_ancestral"}}},
		{"invokeai.png", want{verdict: scan.VerdictHintedAI, aiModel: "stable-diffusion-1.5", fields: map[string]string{"PNG:invokeai_metadata": "txt2img"}}},
		{"iptc-ai.jpg", want{mediaType: scan.MediaJPEG, verdict: scan.VerdictHintedAI, aiModel: "imagen",
			fields: map[string]string{"IPTC:Credit": "Made with Google AI", "IPTC:OriginatingProgram": "Imagen 3", "IPTC:By-line": "provgraph tests"}}},
		// Signed files without a reader: detected, not trusted.
		{"c2pa-ai.jpg", want{hasC2PA: true, verdict: scan.VerdictNoAIMarking, reason: "no C2PA reader configured"}},
		{"conflict.jpg", want{hasC2PA: true, hasXMP: true, verdict: scan.VerdictHintedAI, aiModel: "midjourney", dsts: []string{"trainedAlgorithmicMedia"}}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			check(t, scanPath(t, filepath.Join("testdata", tc.file), scan.Options{}), tc.want)
		})
	}
}

// Every shared fixture scans without error, within budget, and the carrier
// detection agrees with the fixture index (a byte scan for a JUMBF
// c2pa.signature, done independently of this package).
func TestScanAgreesWithFixtureIndex(t *testing.T) {
	dir := testenv.Fixture(t, "c2pa")
	f, err := os.Open(filepath.Join(dir, "INDEX.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 50 {
		t.Fatalf("INDEX.tsv has %d rows", len(rows))
	}
	for _, row := range rows[1:] {
		file, format, has := row[0], row[1], row[3] == "yes"
		t.Run(file, func(t *testing.T) {
			rep := scanPath(t, filepath.Join(dir, file), scan.Options{})
			if rep.HasC2PA != has {
				t.Errorf("hasC2PA = %v, index says %v", rep.HasC2PA, has)
			}
			wantType := format
			if format == "image/heif" && rep.MediaType == scan.MediaHEIC {
				t.Errorf("a HEIF file sniffed as HEIC")
			}
			if strings.HasSuffix(file, ".m4s") {
				wantType = scan.MediaMP4 // a DASH segment; the index says video/iso.segment
			}
			if rep.MediaType != wantType {
				t.Errorf("mediaType = %s, index says %s", rep.MediaType, wantType)
			}
			if rep.BytesRead > scan.DefaultMaxMetadataBytes {
				t.Errorf("read %d bytes, over the budget", rep.BytesRead)
			}
			data, err := json.Marshal(rep)
			if err != nil {
				t.Fatal(err)
			}
			var shape map[string]json.RawMessage
			if err := json.Unmarshal(data, &shape); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"hasC2PA", "hasXMP", "aiModel", "rawFields", "c2paManifest", "verdict", "reason", "evidence", "mediaType", "digitalSourceTypes"} {
				if _, ok := shape[k]; !ok {
					t.Errorf("report JSON lacks %q", k)
				}
			}
		})
	}
}

// A hostile fixture (a thousand nested moov boxes, an IFD bomb) ends in a
// warning, not an error or a hang.
func TestScanHostileFixtures(t *testing.T) {
	for _, file := range []string{"mp4/rs-nested_moov_1000.mp4", "tiff/rs-tiff_poc.tiff", "wav/rs-sample3.invalid.wav", "mp3/rs-id3v23_compression_underflow.mp3"} {
		t.Run(file, func(t *testing.T) {
			rep := scanPath(t, testenv.Fixture(t, "c2pa/"+file), scan.Options{})
			if rep.Verdict != scan.VerdictNoAIMarking {
				t.Errorf("verdict %s", rep.Verdict)
			}
			t.Logf("warnings: %q", rep.Warnings)
		})
	}
}

// The metadata budget stops the scan and says so.
func TestScanBudget(t *testing.T) {
	path := testenv.Fixture(t, "c2pa/jpeg/pt-nikon-20221019-building.jpeg")
	full := scanPath(t, path, scan.Options{})
	if full.BytesRead < 50_000 {
		t.Fatalf("full scan read only %d bytes; pick a file with more metadata", full.BytesRead)
	}
	for _, limit := range []int64{16, 4096, 20_000} {
		rep := scanPath(t, path, scan.Options{MaxMetadataBytes: limit})
		if rep.BytesRead > limit {
			t.Errorf("limit %d: read %d bytes", limit, rep.BytesRead)
		}
		found := false
		for _, w := range rep.Warnings {
			found = found || strings.Contains(w, scan.ErrMetadataLimit.Error())
		}
		if !found {
			t.Errorf("limit %d: no limit warning in %q", limit, rep.Warnings)
		}
	}
}

// Raw field values are cut to MaxFieldBytes.
func TestScanFieldCap(t *testing.T) {
	rep := scanPath(t, filepath.Join("testdata", "comfyui.png"), scan.Options{MaxFieldBytes: 40})
	v := rep.RawFields["PNG:prompt"]
	if !strings.HasSuffix(v, "…[truncated]") || len(v) > 40+len("…[truncated]") {
		t.Errorf("PNG:prompt not cut: %q", v)
	}
	if rep.AIModel == nil || *rep.AIModel != "flux-1-dev" {
		t.Errorf("the model must come from the whole value, not the cut one: %v", rep.AIModel)
	}
}

// Truncating a real file anywhere must never fail the scan or panic.
func TestScanTruncated(t *testing.T) {
	files := []string{
		testenv.Fixture(t, "c2pa/jpeg/rs-CA.jpg"),
		testenv.Fixture(t, "c2pa/png/ts-amazon-titan-g1.png"),
		testenv.Fixture(t, "c2pa/heic/ts-trustnxt-icon-signed-c2patool.heic"),
		testenv.Fixture(t, "c2pa/webp/ms-cards_trusted.webp"),
		testenv.Fixture(t, "c2pa/gif/rs-bench-100kb-signed.gif"),
		testenv.Fixture(t, "c2pa/tiff/ts-c2pa_signed_ed25519.tiff"),
		filepath.Join("testdata", "xmp-ai.tif"),
		filepath.Join("testdata", "xmp-ai.heic"),
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		step := max(len(data)/97, 1)
		for n := 0; n < len(data); n += step {
			if _, err := scan.Scan(context.Background(), bytes.NewReader(data[:n]), int64(n), scan.Options{}); err != nil {
				t.Errorf("%s cut at %d: %v", filepath.Base(path), n, err)
			}
		}
	}
}

// An I/O failure is an error, not a warning.
func TestScanReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := scan.Scan(context.Background(), failingReaderAt{boom}, 1000, scan.Options{})
	if !errors.Is(err, boom) {
		t.Errorf("err = %v, want %v", err, boom)
	}
}

type failingReaderAt struct{ err error }

func (f failingReaderAt) ReadAt([]byte, int64) (int, error) { return 0, f.err }

// failingAfter serves a real file but fails the reads (other than the
// first, at offset 0, for sniffing) that reach past limit.
type failingAfter struct {
	r     io.ReaderAt
	limit int64
	err   error
}

func (f failingAfter) ReadAt(p []byte, off int64) (int, error) {
	if off > 0 && off+int64(len(p)) > f.limit {
		return 0, f.err
	}
	return f.r.ReadAt(p, off)
}

// An I/O error deep inside a container (where walkers otherwise carry on
// past damage) still fails the scan.
func TestScanReadErrorInside(t *testing.T) {
	boom := errors.New("disk on fire")
	for _, file := range []string{"xmp-ai.heic", "xmp-ai.tif", "xmp-ai.jpg", "xmp-ai.png", "xmp-ai.webp", "xmp-ai.gif"} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		for _, limit := range []int64{300, 600, 900} {
			r := failingAfter{bytes.NewReader(data), limit, boom}
			rep, err := scan.Scan(context.Background(), r, int64(len(data)), scan.Options{})
			if !errors.Is(err, boom) {
				t.Errorf("%s failing after %d: err = %v, report %+v", file, limit, err, rep)
			}
		}
	}
}

// A failing C2PA reader on a file with a manifest is reported, not fatal.
func TestScanC2PAReaderError(t *testing.T) {
	opts := scan.Options{C2PA: func(context.Context, io.ReaderAt, int64, string) (json.RawMessage, error) {
		return nil, errors.New("engine unavailable")
	}}
	rep := scanPath(t, testenv.Fixture(t, "c2pa/png/ts-amazon-titan-g1.png"), opts)
	if !rep.HasC2PA || rep.C2PA == nil || rep.C2PA.Error != "engine unavailable" || rep.Verdict != scan.VerdictNoAIMarking {
		t.Errorf("report %+v / %+v", rep, rep.C2PA)
	}
}

// The C2PA reader runs only where a manifest may be: when a carrier was
// found, or for formats whose carriers the scanner does not walk.
func TestScanCallsC2PAReaderOnlyWhenUseful(t *testing.T) {
	unknown := filepath.Join(t.TempDir(), "unknown.bin")
	if err := os.WriteFile(unknown, []byte("\x00\x01\x02 not a known format"), 0o644); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		path      string
		wantCalls int
	}{
		{testenv.Fixture(t, "c2pa/jpeg/rs-no_manifest.jpg"), 0},
		{testenv.Fixture(t, "c2pa/png/rs-libpng-test.png"), 0},
		{testenv.Fixture(t, "c2pa/jpeg/rs-CA.jpg"), 1},
		{filepath.Join("testdata", "xmp-ai.jpg"), 0},
		{testenv.Fixture(t, "c2pa/jpeg/rs-cloud.jpg"), 1},       // XMP names a remote store
		{testenv.Fixture(t, "c2pa/pdf/rs-basic-no-xmp.pdf"), 1}, // PDF: the byte search may miss it
		{testenv.Fixture(t, "c2pa/mp4/rs-video1_no_manifest.mp4"), 0},
		{filepath.Join("testdata", "ai.xmp"), 0},
		{unknown, 1}, // not a media type the scanner walks
	}
	for _, tc := range cases {
		calls := 0
		var gotType string
		opts := scan.Options{C2PA: func(_ context.Context, _ io.ReaderAt, _ int64, mediaType string) (json.RawMessage, error) {
			calls++
			gotType = mediaType
			return nil, errors.New("C2pa(JumbfNotFound)")
		}}
		rep := scanPath(t, tc.path, opts)
		if calls != tc.wantCalls {
			t.Errorf("%s: reader called %d times, want %d", filepath.Base(tc.path), calls, tc.wantCalls)
		}
		if calls > 0 && gotType != rep.MediaType {
			t.Errorf("%s: reader got media type %q, report says %q", filepath.Base(tc.path), gotType, rep.MediaType)
		}
	}
}

// Every fixture that embeds a manifest store reaches the C2PA reader, and
// its report comes back into the scan: a validation state, or the reader's
// error when c2pa-rs cannot read the store.
func TestScanEveryManifestReachesTheReader(t *testing.T) {
	dir := testenv.Fixture(t, "c2pa")
	f, err := os.Open(filepath.Join(dir, "INDEX.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma, r.LazyQuotes, r.FieldsPerRecord = '\t', true, -1
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, row := range rows[1:] {
		if row[3] == "yes" {
			paths = append(paths, filepath.Join(dir, row[0]))
		}
	}
	opts := scan.Options{C2PA: oracleReader(t, paths...)}
	for _, p := range paths {
		rep := scanPath(t, p, opts)
		switch {
		case !rep.HasC2PA:
			t.Errorf("%s: hasC2PA false", p)
		case rep.C2PA == nil:
			t.Errorf("%s: the reader's report did not reach the scan", p)
		case rep.C2PA.ValidationState == "" && rep.C2PA.Error == "":
			t.Errorf("%s: neither a state nor an error: %+v", p, rep.C2PA)
		case rep.C2PA.ValidationState != "" && len(rep.C2PAManifest) == 0:
			t.Errorf("%s: state %s without c2paManifest", p, rep.C2PA.ValidationState)
		}
	}
}
