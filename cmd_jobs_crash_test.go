package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"provgraph/db/dbtest"
)

// createScanJobOver posts a createScanJob of files (name → bytes) to the
// process as a GraphQL multipart request and returns the job's ID.
func createScanJobOver(t *testing.T, p *serveProcess, key string, names []string, data []byte) string {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	vars := map[string]any{"files": make([]any, len(names))}
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($files: [Upload!]!) { createScanJob(files: $files) { id totalAssets } }`,
		"variables": vars,
	})
	_ = w.WriteField("operations", string(ops))
	m := map[string][]string{}
	for i := range names {
		m[fmt.Sprint(i)] = []string{fmt.Sprintf("variables.files.%d", i)}
	}
	mj, _ := json.Marshal(m)
	_ = w.WriteField("map", string(mj))
	for i, name := range names {
		part, err := w.CreateFormFile(fmt.Sprint(i), name)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = part.Write(data)
	}
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, p.base+"/graphql", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Data struct {
			CreateScanJob struct {
				ID          string
				TotalAssets int
			}
		}
		Errors []any
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if len(out.Errors) > 0 || out.Data.CreateScanJob.TotalAssets != len(names) {
		t.Fatalf("createScanJob: %+v", out)
	}
	return out.Data.CreateScanJob.ID
}

// jobCounts reads a job's status and counters through the process.
func jobCounts(t *testing.T, p *serveProcess, key, id string) (status string, completed, failed int) {
	t.Helper()
	out := p.gql(t, key, `query($id: ID!) { job(id: $id) { status completedAssets failedAssets } }`, map[string]any{"id": id})
	data, _ := out["data"].(map[string]any)
	j, _ := data["job"].(map[string]any)
	if j == nil {
		t.Fatalf("job: %v", out)
	}
	c, _ := j["completedAssets"].(float64)
	f, _ := j["failedAssets"].(float64)
	s, _ := j["status"].(string)
	return s, int(c), int(f)
}

// TestJobSurvivesKilledInstance kills (SIGKILL) the instance working a
// 100-file scan job midway; on PostgreSQL a second instance on the same
// database finishes it, on SQLite the instance started again does. Every
// item must end COMPLETED and every file be stored exactly once, whatever
// the killed instance had done, half done or not yet reported to River.
func TestJobSurvivesKilledInstance(t *testing.T) {
	bin := buildBinary(t)
	jpeg := smallJPEG(t)
	dbtest.Run(t, func(t *testing.T, databaseURL string) {
		dir := t.TempDir()
		env := []string{
			"PROVGRAPH_ADMIN_KEY=k",
			"PROVGRAPH_STORAGE_URL=" + filepath.Join(dir, "blobs"), // shared, as S3 would be
			"PROVGRAPH_WORKERS=2",
			"PROVGRAPH_JOB_TIMEOUT=2s",
			"PROVGRAPH_JOB_RESCUE_AFTER=3s",
		}
		pg := databaseURL[:8] == "postgres"
		a := startServe(t, bin, databaseURL, filepath.Join(dir, "a"), env...)
		var b *serveProcess
		if pg {
			b = startServe(t, bin, databaseURL, filepath.Join(dir, "b"), env...)
		}
		names := make([]string, 100)
		for i := range names {
			names[i] = fmt.Sprintf("f%03d.jpg", i)
		}
		id := createScanJobOver(t, a, "k", names, jpeg)

		// Kill A once it is under way, with items done, items left and an
		// item being worked.
		deadline := time.Now().Add(time.Minute)
		for {
			_, done, _ := jobCounts(t, a, "k", id)
			if done >= 5 && processing(t, a, "k", id) > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the job did not start")
			}
			time.Sleep(5 * time.Millisecond)
		}
		a.kill(t)
		if !pg {
			b = startServe(t, bin, databaseURL, filepath.Join(dir, "a"), env...)
		}
		status, done, _ := jobCounts(t, b, "k", id)
		t.Logf("after the kill: %s, %d done, %d items PROCESSING", status, done, processing(t, b, "k", id))
		deadline = time.Now().Add(3 * time.Minute)
		for status != "COMPLETED" && status != "FAILED" {
			if time.Now().After(deadline) {
				t.Fatalf("job still %s with %d done after the kill", status, done)
			}
			time.Sleep(100 * time.Millisecond)
			status, done, _ = jobCounts(t, b, "k", id)
		}
		status, completed, failed := jobCounts(t, b, "k", id)
		if status != "COMPLETED" || completed != 100 || failed != 0 {
			t.Fatalf("job %s %d/%d, want COMPLETED 100/0", status, completed, failed)
		}
		out := b.gql(t, "k", `query($id: ID!) {
			job(id: $id) { items(first: 100) { edges { node { status attempts asset { id } } } } }
			assets { totalCount }
			scanned: events(where: {kind: "asset.scanned"}) { totalCount }
		}`, map[string]any{"id": id})
		raw, _ := json.Marshal(out["data"])
		var got struct {
			Job struct {
				Items struct {
					Edges []struct {
						Node struct {
							Status   string
							Attempts int
							Asset    *struct{ ID string }
						}
					}
				}
			}
			Assets  struct{ TotalCount int }
			Scanned struct{ TotalCount int }
		}
		if err := json.Unmarshal(raw, &got); err != nil || out["errors"] != nil {
			t.Fatalf("%v: %v", err, out)
		}
		retried := 0
		assets := map[string]bool{}
		for _, e := range got.Job.Items.Edges {
			if e.Node.Status != "COMPLETED" || e.Node.Asset == nil || assets[e.Node.Asset.ID] {
				t.Fatalf("item %+v", e.Node)
			}
			assets[e.Node.Asset.ID] = true
			if e.Node.Attempts > 1 {
				retried++
			}
		}
		if len(assets) != 100 || got.Assets.TotalCount != 100 || got.Scanned.TotalCount != 100 {
			t.Fatalf("%d items with assets, %d assets, %d asset.scanned events; want 100 of each",
				len(assets), got.Assets.TotalCount, got.Scanned.TotalCount)
		}
		t.Logf("items tried again after the kill: %d", retried)
	})
}

// processing counts the job's items in PROCESSING.
func processing(t *testing.T, p *serveProcess, key, id string) int {
	t.Helper()
	out := p.gql(t, key, `query($id: ID!) { job(id: $id) { items(where: {status: PROCESSING}) { totalCount } } }`, map[string]any{"id": id})
	raw, _ := json.Marshal(out["data"])
	var got struct {
		Job struct{ Items struct{ TotalCount int } }
	}
	if err := json.Unmarshal(raw, &got); err != nil || out["errors"] != nil {
		t.Fatalf("%v: %v", err, out)
	}
	return got.Job.Items.TotalCount
}

// smallJPEG is a 480×480 JPEG of noise, some tens of kilobytes.
func smallJPEG(t *testing.T) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 4))
	m := image.NewGray(image.Rect(0, 0, 480, 480))
	for i := range m.Pix {
		m.Pix[i] = uint8(rng.UintN(256))
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
