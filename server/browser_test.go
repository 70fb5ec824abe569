package server_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// The environment of the browser tests. scripts/test.sh installs Debian's
// chromium and axe-core and sets PROVGRAPH_AXE; without it a missing
// browser skips the browser tests, and the accessibility audit is left out
// with a note in the test log.
const (
	envChromium  = "PROVGRAPH_CHROMIUM"
	envAxe       = "PROVGRAPH_AXE"
	envArtifacts = "PROVGRAPH_ARTIFACTS"
)

// browser is one headless chromium tab for a test.
type browser struct {
	t     *testing.T
	ctx   context.Context
	axe   string // the source of axe.min.js, or "" when not configured
	shots string // the folder of the screenshots

	mu      sync.Mutex
	origin  string   // the server every request must go to
	foreign []string // requests that went elsewhere
}

// newBrowser starts chromium with the flags of the CI.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := os.Getenv(envChromium)
	for _, name := range []string{"chromium", "chromium-browser"} {
		if path != "" {
			break
		}
		path, _ = exec.LookPath(name)
	}
	if path == "" {
		if os.Getenv(envAxe) != "" {
			t.Fatal("no chromium found (scripts/test.sh installs it with apt-get install chromium): the browser tests cannot run")
		}
		t.Skip("no chromium on PATH (or " + envChromium + "): browser tests skipped")
	}
	b := &browser{t: t}
	if p := os.Getenv(envAxe); p != "" {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatalf("%s=%s: %v", envAxe, p, err)
		}
		b.axe = string(src)
	} else {
		t.Log("NOTE: " + envAxe + " is not set, so the axe-core accessibility audit is NOT run (scripts/test.sh sets it)")
	}
	b.shots = os.Getenv(envArtifacts)
	if b.shots == "" {
		b.shots = filepath.Join("..", "testdata", "artifacts")
	}
	b.shots = filepath.Join(b.shots, "pages")
	if err := os.MkdirAll(b.shots, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.NoFirstRun,
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("starting chromium: %v", err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		e, ok := ev.(*network.EventRequestWillBeSent)
		if !ok {
			return
		}
		b.mu.Lock()
		defer b.mu.Unlock()
		u := e.Request.URL
		ws := strings.Replace(b.origin, "http://", "ws://", 1)
		if b.origin != "" && !strings.HasPrefix(u, b.origin+"/") && !strings.HasPrefix(u, ws+"/") && !strings.HasPrefix(u, "data:") {
			b.foreign = append(b.foreign, u)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	b.ctx = ctx
	return b
}

// use points the browser at a test and its server.
func (b *browser) use(t *testing.T, origin string) {
	// Leave the previous test's page first: a live page of another server
	// (the job view's WebSocket) would otherwise keep talking to it.
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("leaving the previous page: %v", err)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.t, b.origin, b.foreign = t, origin, nil
}

// do runs actions with a time limit, failing the test on error.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// text returns the text of the element sel (a CSS selector), once visible.
func (b *browser) text(sel string) string {
	b.t.Helper()
	b.do("waiting for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("reading %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// eval evaluates a JavaScript expression in the page, awaiting a promise.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluating %.80s: %v", expr, err)
	}
	return v
}

// waitFor polls the JavaScript condition cond until it is true.
func (b *browser) waitFor(what, cond string, timeout time.Duration) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](cond,
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		page, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 800) : ""`))
		b.t.Fatalf("waiting for %s: %v; the page shows: %s", what, err, page)
	}
}

// viewport sets the width of the window (its height that of a laptop or a
// phone) and the colour scheme.
func (b *browser) viewport(width int64, dark bool) {
	b.t.Helper()
	height, mobile := int64(900), false
	if width < 600 {
		height, mobile = 740, true
	}
	scheme := "light"
	if dark {
		scheme = "dark"
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
		Width: width, Height: height, DeviceScaleFactor: 1, Mobile: mobile,
	}); err != nil {
		b.t.Fatal(err)
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	}); err != nil {
		b.t.Fatal(err)
	}
}

// axeViolation is one serious or critical finding of axe-core.
type axeViolation struct {
	ID     string   `json:"id"`
	Impact string   `json:"impact"`
	Help   string   `json:"help"`
	Nodes  []string `json:"nodes"`
}

// audit runs axe-core on the current page in the light and the dark colour
// scheme and fails the test on any serious or critical violation.
func (b *browser) audit(name string) {
	b.t.Helper()
	if b.axe == "" {
		return
	}
	if !eval[bool](b, `typeof window.axe === "object"`) {
		if _, err := chromedp.Run(b.ctx, chromedp.Evaluate[bool](b.axe+";true")); err != nil {
			b.t.Fatalf("%s: injecting axe-core: %v", name, err)
		}
	}
	for _, dark := range []bool{false, true} {
		b.viewport(1280, dark)
		vs := eval[[]axeViolation](b, `axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations
			.filter(v => v.impact === "serious" || v.impact === "critical")
			.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.html.slice(0, 160))})))`)
		scheme := map[bool]string{false: "light", true: "dark"}[dark]
		for _, v := range vs {
			b.t.Errorf("%s (%s): axe %s %s: %s at %q", name, scheme, v.Impact, v.ID, v.Help, v.Nodes)
		}
		if len(vs) == 0 {
			b.t.Logf("%s (%s): axe-core: no serious or critical violation", name, scheme)
		}
	}
	b.viewport(1280, false)
}

// screenshots saves full-page PNGs of the current page 1280 and 360 pixels
// wide, and checks that at 360 the page needs no horizontal scrolling.
func (b *browser) screenshots(name string) {
	b.t.Helper()
	for _, w := range []int64{1280, 360} {
		b.viewport(w, false)
		png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			b.t.Fatalf("screenshot of %s: %v", name, err)
		}
		label := map[int64]string{1280: "desktop", 360: "phone"}[w]
		if err := os.WriteFile(filepath.Join(b.shots, name+"-"+label+".png"), png, 0o644); err != nil {
			b.t.Fatal(err)
		}
		if w == 360 {
			if scroll := eval[int64](b, `document.documentElement.scrollWidth`); scroll > 360 {
				b.t.Errorf("%s at 360 px: the page is %d px wide", name, scroll)
			}
		}
	}
	b.viewport(1280, false)
}

// noForeignRequests fails the test if the browser requested another origin.
func (b *browser) noForeignRequests() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, u := range b.foreign {
		b.t.Errorf("third-party request: %s", u)
	}
	b.foreign = nil
}
