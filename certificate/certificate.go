package certificate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"

	"provgraph/article50"
)

// Data is everything a certificate states.
type Data struct {
	// CertificateID identifies this certificate (e.g. the verification id).
	CertificateID string
	Organization  string
	FileName      string
	MediaType     string
	Size          int64
	// SHA256 is the signed file's hash, hex.
	SHA256 string
	// OriginalSHA256 is the hash of the file before signing, hex (optional).
	OriginalSHA256 string
	CID            string
	ManifestLabel  string
	Declaration    article50.Declaration
	Signer         string
	Issuer         string
	SignedAt       time.Time
	Timestamped    bool
	// ValidationState is the c2pa validation_state of the signed file.
	ValidationState string
	// Tier and TierLabel are the trust assessment of the signed file.
	Tier      string
	TierLabel string
	VerifyURL string
	IssuedAt  time.Time
}

// ErrMissing is returned when data a certificate must state is absent.
var ErrMissing = errors.New("certificate: missing field")

// Render writes the certificate PDF of d to w.
func Render(w io.Writer, d Data) error {
	for name, v := range map[string]string{"FileName": d.FileName, "SHA256": d.SHA256, "VerifyURL": d.VerifyURL, "Signer": d.Signer} {
		if v == "" {
			return fmt.Errorf("%w: %s", ErrMissing, name)
		}
	}
	qr, err := qrcode.Encode(d.VerifyURL, qrcode.Medium, 512)
	if err != nil {
		return fmt.Errorf("certificate: QR code: %w", err)
	}

	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetTitle("Article 50 audit certificate: "+d.FileName, true)
	pdf.SetAuthor("provgraph", true)
	pdf.SetCreator("provgraph", true)
	pdf.SetMargins(18, 18, 18)
	pdf.SetAutoPageBreak(true, 18)
	tr := pdf.UnicodeTranslatorFromDescriptor("") // core fonts speak cp1252
	pdf.AddPage()

	pdf.SetFont("Helvetica", "B", 18)
	pdf.CellFormat(0, 10, tr("Article 50 audit certificate"), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 10)
	pdf.SetTextColor(80, 80, 80)
	pdf.MultiCell(0, 5, tr("Transparency disclosure under Article 50 of the EU AI Act, recorded in C2PA Content Credentials embedded in the file."), "", "L", false)
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(3)

	section := func(title string) {
		pdf.Ln(2)
		pdf.SetFont("Helvetica", "B", 12)
		pdf.CellFormat(0, 7, tr(title), "B", 1, "L", false, 0, "")
		pdf.Ln(1)
	}
	row := func(label, value string) {
		if value == "" {
			return
		}
		pdf.SetFont("Helvetica", "B", 9)
		pdf.CellFormat(48, 5.5, tr(label), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 9)
		pdf.MultiCell(0, 5.5, tr(value), "", "L", false)
	}

	section("Organisation")
	row("Organisation", orDash(d.Organization))
	row("Certificate", d.CertificateID)
	row("Issued", d.IssuedAt.UTC().Format(time.RFC3339))

	section("File")
	row("File name", d.FileName)
	row("Media type", d.MediaType)
	if d.Size > 0 {
		row("Size", strconv.FormatInt(d.Size, 10)+" bytes")
	}
	row("SHA-256 (signed)", d.SHA256)
	row("SHA-256 (original)", d.OriginalSHA256)
	row("IPFS CID", d.CID)

	section("Declaration")
	decl := d.Declaration
	row("Disclosure", decl.Sentence("file"))
	row("AI model", decl.Model())
	row("Modification", decl.ModificationType)
	row("Description", decl.ModificationDescription)
	row("Purpose", decl.Purpose)
	row("Purpose context", decl.PurposeContext)
	row("Human review", yesNo(decl.HumanReview))
	row("Reviewer", decl.ReviewerName)
	row("Source type (IPTC)", decl.DigitalSourceType())

	section("Signature")
	row("Signer", d.Signer)
	row("Issuer", d.Issuer)
	if !d.SignedAt.IsZero() {
		row("Signed at", d.SignedAt.UTC().Format(time.RFC3339))
	}
	if d.Timestamped {
		row("Time-stamp", "RFC 3161 time-stamp from a time-stamping authority")
	} else {
		row("Time-stamp", "none (signing time asserted by the signer)")
	}
	row("Manifest", d.ManifestLabel)

	section("Validation")
	row("C2PA state", d.ValidationState)
	row("Trust tier", joinNonEmpty(d.TierLabel, d.Tier))
	row("Verify online", d.VerifyURL)

	pdf.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(qr))
	y := pdf.GetY() + 4
	if y > 297-18-45 {
		pdf.AddPage()
		y = pdf.GetY()
	}
	pdf.ImageOptions("qr", 18, y, 40, 40, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, d.VerifyURL)
	pdf.SetXY(62, y+14)
	pdf.SetFont("Helvetica", "", 9)
	pdf.MultiCell(0, 5, tr("Scan to check this file's Content Credentials, or upload any copy of it to the verification page."), "", "L", false)

	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("certificate: render: %w", err)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func yesNo(b *bool) string {
	if b == nil {
		return ""
	}
	if *b {
		return "yes"
	}
	return "no"
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + " (" + b + ")"
}
