package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"provgraph/assets"
	"provgraph/config"
	"provgraph/db/dbtest"
	"provgraph/ent/schema/tenant"
	"provgraph/server"
)

// benchItems is the size of the benchmarked scan jobs.
const benchItems = 1000

// BenchmarkScanJob runs scan jobs of 1 000 small JPEGs on one instance and
// (on PostgreSQL, with PROVGRAPH_TEST_DATABASE_URL set) two instances over
// one database, and reports items per second from the createScanJob
// request (upload included; create-s is that request alone) to the last
// item's event, next to the same files scanned one after the other
// in-process (sync-items/s, the baseline), and the p50/p99 latency from an
// item's completion (its job.progress event's creation, in the item's
// transaction) to its arrival at a WebSocket subscriber on the other
// instance.
func BenchmarkScanJob(b *testing.B) {
	for _, d := range dbtest.Dialects() {
		for _, n := range []int{1, 2} {
			if n == 2 && d.Name != "postgres" {
				continue // one SQLite file serves one instance
			}
			b.Run(fmt.Sprintf("%s/instances=%d", d.Name, n), func(b *testing.B) {
				benchScanJob(b, d.NewURL(b), n)
			})
		}
	}
}

func benchScanJob(b *testing.B, url string, instances int) {
	blobs := filepath.Join(b.TempDir(), "blobs")
	edit := func(c *config.Config) {
		c.StorageURL = blobs
		c.MaxUploadBytes = 256 << 20
	}
	apps := make([]*server.App, instances)
	srvs := make([]*httptest.Server, instances)
	for i := range apps {
		apps[i], srvs[i] = newInstance(b, url, edit)
	}
	a, watcher := srvs[0], srvs[instances-1].URL
	jpeg := bigJPEG(b, 32, 24)
	files := make([]upload, benchItems)
	for i := range files {
		files[i] = upload{name: fmt.Sprintf("f%04d.jpg", i), data: jpeg}
	}

	var itemsPerSec, syncPerSec, createSec float64
	var latencies []time.Duration
	for range b.N {
		conn := subscribe(b, watcher, adminKey, "p", `subscription { events(types: ["job.progress"]) { createdAt } }`, nil)
		start := time.Now()
		res := postUploads(b, a, adminKey, createScanJob, nil, files)
		if len(res.Errors) > 0 {
			b.Fatalf("createScanJob: %v", res.Errors)
		}
		createSec += time.Since(start).Seconds()
		for got := 0; got < benchItems; got++ {
			m := readMessage(b, conn)
			now := time.Now()
			var data struct{ Events struct{ CreatedAt time.Time } }
			raw, _ := json.Marshal(m.Payload["data"])
			if err := json.Unmarshal(raw, &data); err != nil || m.Type != "next" {
				b.Fatalf("event %d: %+v", got, m)
			}
			latencies = append(latencies, now.Sub(data.Events.CreatedAt))
		}
		itemsPerSec += benchItems / time.Since(start).Seconds()
		_ = conn.Close()

		// Baseline: the same files scanned and recorded one after the
		// other, in-process, without a queue.
		ctx := tenant.NewContext(context.Background(), tenant.Viewer{AccountID: adminAccountID(b, apps[0]), Scopes: tenant.AllScopes()})
		start = time.Now()
		for _, f := range files {
			if _, err := apps[0].Deps.Assets.Scan(ctx, assets.ScanRequest{Files: []assets.Upload{{
				FileName: f.name, Content: bytes.NewReader(f.data), Size: int64(len(f.data)),
			}}}); err != nil {
				b.Fatal(err)
			}
		}
		syncPerSec += benchItems / time.Since(start).Seconds()
	}
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		return float64(latencies[int(p*float64(len(latencies)-1))].Microseconds()) / 1000
	}
	b.ReportMetric(itemsPerSec/float64(b.N), "items/s")
	b.ReportMetric(syncPerSec/float64(b.N), "sync-items/s")
	b.ReportMetric(createSec/float64(b.N), "create-s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(0, "ns/op")
}
