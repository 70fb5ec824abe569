package analytics_test

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"provgraph/analytics"
	"provgraph/db/dbtest"
	"provgraph/internal/testenv"
)

// BenchmarkAnalytics seeds an account of 1 000 000 assets over a year (and
// a small one beside it) on PostgreSQL, then runs every analytics query
// over one month of the big account (about 83 000 assets), reporting the
// p50 and p95 of its latency, and exports the whole account, reporting
// rows/s, the time to the first byte and the peak RSS of the process.
// Run by bench/analytics.sh.
func BenchmarkAnalytics(b *testing.B) {
	requirePostgres(b)
	url := dbtest.PostgresURL(b)
	d := dbtest.Open(b, url)
	client := d.Client()
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	seedStart := time.Now()
	big := seedBulk(b, d, client, "big", 1_000_000, start, 365*24*time.Hour)
	seedBulk(b, d, client, "small", 10_000, start, 365*24*time.Hour)
	analyze(b, d)
	b.Logf("seeded 1 010 000 assets in %s", time.Since(seedStart).Round(time.Second))
	svc, err := analytics.NewService(d, client)
	if err != nil {
		b.Fatal(err)
	}
	from := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 1, 0)
	paris, _ := time.LoadLocation("Europe/Paris")
	month := analytics.Filter{From: &from, To: &to, Location: paris}
	queries := everyQuery(big.ctx, svc, month)
	names := make([]string, 0, len(queries))
	for name := range queries {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		run := queries[name]
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			if err := run(); err != nil { // warm the cache once
				b.Fatal(err)
			}
			took := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for range b.N {
				t0 := time.Now()
				if err := run(); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(t0))
			}
			slices.Sort(took)
			pct := func(p float64) float64 {
				return float64(took[int(p*float64(len(took)-1))].Microseconds()) / 1000
			}
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.95), "p95-ms")
			b.ReportMetric(0, "ns/op")
		})
	}
	// One export of the whole account, whatever -benchtime: it takes
	// seconds, and its rate is steady over a million rows.
	b.Run("export", func(b *testing.B) {
		{
			runtime.GC()
			testenv.ResetPeakRSS()
			w := &firstByte{}
			t0 := time.Now()
			n, err := svc.Export(big.ctx, analytics.Filter{}, analytics.FormatNDJSON, w)
			if err != nil {
				b.Fatal(err)
			}
			took := time.Since(t0)
			b.ReportMetric(float64(n)/took.Seconds(), "rows/s")
			b.ReportMetric(float64(w.first.Sub(t0).Microseconds())/1000, "first-byte-ms")
			b.ReportMetric(testenv.PeakRSS(), "peak-rss-MiB")
			b.ReportMetric(0, "ns/op")
		}
	})
}

// firstByte discards an export and remembers when it began.
type firstByte struct {
	discard
	first time.Time
}

func (f *firstByte) Write(p []byte) (int, error) {
	if f.first.IsZero() {
		f.first = time.Now()
	}
	return len(p), nil
}
