package quota_test

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"testing"
	"time"

	"provgraph/apierror"
	"provgraph/db"
	"provgraph/db/dbtest"
	"provgraph/ent"
	"provgraph/quota"
)

// clock is a settable Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// newService returns a Service over a fresh, migrated database at url,
// with its clock, when opts has none, at clk (started at 2026-03-14
// 15:09:26 UTC).
func newService(t *testing.T, url string, opts quota.Options) (*quota.Service, *ent.Client, *clock) {
	t.Helper()
	clk := &clock{t: utc(2026, 3, 14, 15, 9, 26)}
	if opts.Now == nil {
		opts.Now = clk.Now
	}
	client := dbtest.Open(t, url).Client()
	return quota.NewService(client, opts), client, clk
}

// step is one Consume and what it must give.
type step struct {
	n      int
	limits []quota.Limit
	// want is the Usage of a successful Consume; exceeded, when set, the
	// refusal expected instead (Limit, Requested and Remaining compared).
	want     quota.Usage
	exceeded *quota.ExceededError
}

func TestConsume(t *testing.T) {
	acct := quota.Account(7)
	key := quota.APIKey(7, 12)
	ip := quota.ClientIP(netip.MustParseAddr("203.0.113.7"))
	minute := utc(2026, 3, 14, 15, 10, 0)
	day := utc(2026, 3, 15, 0, 0, 0)
	month := utc(2026, 4, 1, 0, 0, 0)

	signs := acct.Limit(quota.Sign, quota.Month, 5)
	keySigns := key.Limit(quota.Sign, quota.Day, 2)
	requests := key.Limit(quota.Request, quota.Minute, 3)

	tests := []struct {
		name  string
		steps []step
		// after, when set, is Peeked at the end.
		after []quota.Limit
		peek  quota.Usage
	}{
		{
			name: "counts up to the limit of its window",
			steps: []step{
				{n: 1, limits: []quota.Limit{requests}, want: quota.Usage{Limit: requests, Used: 1, Remaining: 2, Reset: minute}},
				{n: 1, limits: []quota.Limit{requests}, want: quota.Usage{Limit: requests, Used: 2, Remaining: 1, Reset: minute}},
				{n: 1, limits: []quota.Limit{requests}, want: quota.Usage{Limit: requests, Used: 3, Remaining: 0, Reset: minute}},
				{n: 1, limits: []quota.Limit{requests}, exceeded: &quota.ExceededError{Limit: requests, Requested: 1, Remaining: 0}},
			},
			after: []quota.Limit{requests},
			peek:  quota.Usage{Limit: requests, Used: 3, Remaining: 0, Reset: minute},
		},
		{
			name: "more than is left is refused and not counted",
			steps: []step{
				{n: 3, limits: []quota.Limit{signs}, want: quota.Usage{Limit: signs, Used: 3, Remaining: 2, Reset: month}},
				{n: 3, limits: []quota.Limit{signs}, exceeded: &quota.ExceededError{Limit: signs, Requested: 3, Remaining: 2}},
				{n: 2, limits: []quota.Limit{signs}, want: quota.Usage{Limit: signs, Used: 5, Remaining: 0, Reset: month}},
			},
		},
		{
			name: "several limits: all or nothing",
			steps: []step{
				{n: 2, limits: []quota.Limit{signs, keySigns}, want: quota.Usage{Limit: keySigns, Used: 2, Remaining: 0, Reset: day}},
				{n: 1, limits: []quota.Limit{signs, keySigns}, exceeded: &quota.ExceededError{Limit: keySigns, Requested: 1, Remaining: 0}},
			},
			after: []quota.Limit{signs},
			peek:  quota.Usage{Limit: signs, Used: 2, Remaining: 3, Reset: month},
		},
		{
			name: "of several exceeded, the one that resets last",
			steps: []step{
				{n: 2, limits: []quota.Limit{keySigns, signs}, want: quota.Usage{Limit: keySigns, Used: 2, Remaining: 0, Reset: day}},
				{n: 4, limits: []quota.Limit{keySigns, signs}, exceeded: &quota.ExceededError{Limit: signs, Requested: 4, Remaining: 3}},
			},
		},
		{
			name: "the usage reported is the tightest",
			steps: []step{
				{n: 1, limits: []quota.Limit{signs, requests}, want: quota.Usage{Limit: requests, Used: 1, Remaining: 2, Reset: minute}},
				{n: 1, limits: []quota.Limit{signs, acct.Limit(quota.Sign, quota.Day, 6)}, want: quota.Usage{Limit: signs, Used: 2, Remaining: 3, Reset: month}},
			},
		},
		{
			name: "subjects, names and windows count apart",
			steps: []step{
				{n: 5, limits: []quota.Limit{signs}, want: quota.Usage{Limit: signs, Used: 5, Remaining: 0, Reset: month}},
				{n: 2, limits: []quota.Limit{key.Limit(quota.Sign, quota.Month, 5)}, want: quota.Usage{Limit: key.Limit(quota.Sign, quota.Month, 5), Used: 2, Remaining: 3, Reset: month}},
				{n: 2, limits: []quota.Limit{ip.Limit(quota.Sign, quota.Month, 5)}, want: quota.Usage{Limit: ip.Limit(quota.Sign, quota.Month, 5), Used: 2, Remaining: 3, Reset: month}},
				{n: 2, limits: []quota.Limit{quota.Account(8).Limit(quota.Sign, quota.Month, 5)}, want: quota.Usage{Limit: quota.Account(8).Limit(quota.Sign, quota.Month, 5), Used: 2, Remaining: 3, Reset: month}},
				{n: 2, limits: []quota.Limit{acct.Limit(quota.Scan, quota.Month, 5)}, want: quota.Usage{Limit: acct.Limit(quota.Scan, quota.Month, 5), Used: 2, Remaining: 3, Reset: month}},
				{n: 2, limits: []quota.Limit{acct.Limit(quota.Sign, quota.Day, 5)}, want: quota.Usage{Limit: acct.Limit(quota.Sign, quota.Day, 5), Used: 2, Remaining: 3, Reset: day}},
			},
		},
		{
			name: "a counter named twice counts once, against the lower Max",
			steps: []step{
				{n: 2, limits: []quota.Limit{acct.Limit(quota.Verify, quota.Day, 9), acct.Limit(quota.Verify, quota.Day, 3)}, want: quota.Usage{Limit: acct.Limit(quota.Verify, quota.Day, 3), Used: 2, Remaining: 1, Reset: day}},
				{n: 2, limits: []quota.Limit{acct.Limit(quota.Verify, quota.Day, 3)}, exceeded: &quota.ExceededError{Limit: acct.Limit(quota.Verify, quota.Day, 3), Requested: 2, Remaining: 1}},
			},
		},
		{
			name: "a limit without Max is neither enforced nor counted",
			steps: []step{
				{n: 100, limits: []quota.Limit{acct.Limit(quota.Scan, quota.Month, 0)}},
				{n: 1, limits: nil},
			},
			after: []quota.Limit{acct.Limit(quota.Scan, quota.Month, 1)},
			peek:  quota.Usage{Limit: acct.Limit(quota.Scan, quota.Month, 1), Used: 0, Remaining: 1, Reset: month},
		},
		{
			name: "nothing is counted for n = 0",
			steps: []step{
				{n: 0, limits: []quota.Limit{requests}, want: quota.Usage{Limit: requests, Used: 0, Remaining: 3, Reset: minute}},
				{n: 1, limits: []quota.Limit{requests}, want: quota.Usage{Limit: requests, Used: 1, Remaining: 2, Reset: minute}},
			},
		},
	}
	for _, d := range dbtest.Dialects() {
		t.Run(d.Name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					svc, _, _ := newService(t, d.NewURL(t), quota.Options{})
					ctx := context.Background()
					for i, s := range tt.steps {
						got, err := svc.Consume(ctx, s.n, s.limits...)
						if s.exceeded != nil {
							var ex *quota.ExceededError
							if !errors.As(err, &ex) {
								t.Fatalf("step %d: err = %v, want an ExceededError", i, err)
							}
							if ex.Limit != s.exceeded.Limit || ex.Requested != s.exceeded.Requested || ex.Remaining != s.exceeded.Remaining {
								t.Errorf("step %d: refused by %+v, want %+v", i, ex, s.exceeded)
							}
							continue
						}
						if err != nil {
							t.Fatalf("step %d: %v", i, err)
						}
						if !sameUsage(got, s.want) {
							t.Errorf("step %d: usage %+v, want %+v", i, got, s.want)
						}
					}
					if tt.after != nil {
						got, err := svc.Peek(ctx, tt.after...)
						if err != nil {
							t.Fatal(err)
						}
						if !sameUsage(got, tt.peek) {
							t.Errorf("Peek: %+v, want %+v", got, tt.peek)
						}
					}
				})
			}
		})
	}
}

// sameUsage compares usages with their reset times as instants.
func sameUsage(a, b quota.Usage) bool {
	return a.Limit == b.Limit && a.Used == b.Used && a.Remaining == b.Remaining && a.Reset.Equal(b.Reset)
}

func TestConsumeInvalid(t *testing.T) {
	svc, _, _ := newService(t, dbtest.SQLiteURL(t), quota.Options{})
	acct := quota.Account(1)
	tests := []struct {
		name  string
		n     int
		limit quota.Limit
	}{
		{"no subject", 1, quota.Limit{Name: quota.Sign, Window: quota.Day, Max: 1}},
		{"no name", 1, acct.Limit("", quota.Day, 1)},
		{"no window", 1, acct.Limit(quota.Sign, 0, 1)},
		{"unknown window", 1, acct.Limit(quota.Sign, 9, 1)},
		{"negative amount", -1, acct.Limit(quota.Sign, quota.Day, 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := svc.Consume(context.Background(), tt.n, tt.limit); !errors.Is(err, quota.ErrInvalidLimit) {
				t.Errorf("err = %v, want ErrInvalidLimit", err)
			}
		})
	}
}

func TestConsumeInTransaction(t *testing.T) {
	svc, client, _ := newService(t, dbtest.SQLiteURL(t), quota.Options{})
	err := db.WithTx(context.Background(), client, func(ctx context.Context) error {
		_, err := svc.Consume(ctx, 1, quota.Account(1).Limit(quota.Sign, quota.Day, 1))
		return err
	})
	if !errors.Is(err, quota.ErrInTransaction) {
		t.Errorf("err = %v, want ErrInTransaction", err)
	}
}

func TestExceededError(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		svc, _, clk := newService(t, url, quota.Options{})
		ctx := context.Background()
		tests := []struct {
			name       string
			at         time.Time
			limit      quota.Limit
			reset      time.Time
			retryAfter time.Duration
			seconds    int
		}{
			{"minute", utc(2026, 3, 14, 15, 9, 26.5), quota.APIKey(7, 12).Limit(quota.Request, quota.Minute, 1),
				utc(2026, 3, 14, 15, 10, 0), 33500 * time.Millisecond, 34},
			{"less than a second left", utc(2026, 3, 14, 15, 9, 59.9), quota.APIKey(7, 13).Limit(quota.Request, quota.Minute, 1),
				utc(2026, 3, 14, 15, 10, 0), 100 * time.Millisecond, 1},
			{"day", utc(2026, 3, 14, 23, 0, 0), quota.ClientIP(netip.MustParseAddr("2001:db8::1")).Limit(quota.Verify, quota.Day, 1),
				utc(2026, 3, 15, 0, 0, 0), time.Hour, 3600},
			{"month", utc(2026, 3, 31, 0, 0, 0), quota.Account(7).Limit(quota.Scan, quota.Month, 1),
				utc(2026, 4, 1, 0, 0, 0), 24 * time.Hour, 86400},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				clk.Set(tt.at)
				if _, err := svc.Consume(ctx, 1, tt.limit); err != nil {
					t.Fatal(err)
				}
				_, err := svc.Consume(ctx, 1, tt.limit)
				var ex *quota.ExceededError
				if !errors.As(err, &ex) {
					t.Fatalf("err = %v, want an ExceededError", err)
				}
				if !ex.Reset.Equal(tt.reset) || ex.RetryAfter != tt.retryAfter || ex.RetryAfterSeconds() != tt.seconds {
					t.Errorf("reset %s, retry after %s (%d s); want %s, %s (%d s)",
						ex.Reset, ex.RetryAfter, ex.RetryAfterSeconds(), tt.reset, tt.retryAfter, tt.seconds)
				}
				if ex.Limit != tt.limit || ex.Remaining != 0 || ex.Requested != 1 {
					t.Errorf("refused by %+v, want %+v with nothing left", ex, tt.limit)
				}
				if !errors.Is(err, apierror.ErrRateLimited) || apierror.CodeOf(err) != apierror.RateLimited {
					t.Errorf("code %s, want RATE_LIMITED", apierror.CodeOf(err))
				}
				if apierror.Message(err) != err.Error() || err.Error() == "" {
					t.Errorf("message %q", apierror.Message(err))
				}
			})
		}
	})
}

func TestWindowRollover(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		svc, _, clk := newService(t, url, quota.Options{})
		ctx := context.Background()
		tests := []struct {
			name         string
			limit        quota.Limit
			inside, next time.Time
		}{
			{"minute", quota.APIKey(1, 2).Limit(quota.Request, quota.Minute, 2), utc(2026, 3, 14, 15, 9, 59.999), utc(2026, 3, 14, 15, 10, 0)},
			{"day", quota.APIKey(1, 2).Limit(quota.Sign, quota.Day, 2), utc(2026, 3, 14, 23, 59, 59), utc(2026, 3, 15, 0, 0, 0)},
			{"month", quota.Account(1).Limit(quota.Sign, quota.Month, 2), utc(2026, 12, 31, 23, 59, 59), utc(2027, 1, 1, 0, 0, 0)},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				clk.Set(tt.inside)
				if _, err := svc.Consume(ctx, 2, tt.limit); err != nil {
					t.Fatal(err)
				}
				if _, err := svc.Consume(ctx, 1, tt.limit); !errors.Is(err, apierror.ErrRateLimited) {
					t.Fatalf("at %s: err = %v, want RATE_LIMITED", tt.inside, err)
				}
				clk.Set(tt.next)
				u, err := svc.Consume(ctx, 1, tt.limit)
				if err != nil {
					t.Fatalf("at %s, in the next window: %v", tt.next, err)
				}
				if want := tt.limit.Window.End(tt.next); u.Used != 1 || u.Remaining != 1 || !u.Reset.Equal(want) {
					t.Errorf("usage %+v, want 1 used, 1 left, reset at %s", u, want)
				}
			})
		}
	})
}

func TestConsumeConcurrent(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		tests := []struct {
			name   string
			limits []quota.Limit
			// reversed, when set, is what every other goroutine passes
			// instead: the same counters in the other order.
			reversed []quota.Limit
		}{
			{"one counter", []quota.Limit{quota.APIKey(1, 2).Limit(quota.Request, quota.Minute, 20)}, nil},
			{"two counters in both orders",
				[]quota.Limit{quota.Account(1).Limit(quota.Sign, quota.Month, 20), quota.APIKey(1, 2).Limit(quota.Sign, quota.Day, 20)},
				[]quota.Limit{quota.APIKey(1, 2).Limit(quota.Sign, quota.Day, 20), quota.Account(1).Limit(quota.Sign, quota.Month, 20)}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				svc, _, _ := newService(t, url, quota.Options{})
				const goroutines, limit = 50, 20
				var wg sync.WaitGroup
				errs := make(chan error, goroutines)
				for i := range goroutines {
					wg.Add(1)
					go func() {
						defer wg.Done()
						limits := tt.limits
						if i%2 == 1 && tt.reversed != nil {
							limits = tt.reversed
						}
						_, err := svc.Consume(context.Background(), 1, limits...)
						errs <- err
					}()
				}
				wg.Wait()
				close(errs)
				var passed, refused int
				for err := range errs {
					switch {
					case err == nil:
						passed++
					case errors.Is(err, apierror.ErrRateLimited):
						refused++
					default:
						t.Error(err)
					}
				}
				if passed != limit || refused != goroutines-limit {
					t.Errorf("%d passed, %d refused; want %d and %d", passed, refused, limit, goroutines-limit)
				}
				for _, l := range tt.limits {
					if u, err := svc.Peek(context.Background(), l); err != nil || u.Used != limit {
						t.Errorf("%s %s: usage %+v (err %v), want %d used", l.Subject, l.Name, u, err, limit)
					}
				}
			})
		}
	})
}

func TestSweep(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, url string) {
		svc, client, clk := newService(t, url, quota.Options{})
		ctx := context.Background()
		key := quota.APIKey(1, 2)
		for _, l := range []quota.Limit{
			key.Limit(quota.Request, quota.Minute, 10),
			key.Limit(quota.Sign, quota.Day, 10),
			quota.Account(1).Limit(quota.Sign, quota.Month, 10),
		} {
			if _, err := svc.Consume(ctx, 1, l); err != nil {
				t.Fatal(err)
			}
		}
		tests := []struct {
			name string
			at   time.Time
			want int
		}{
			{"nothing has ended", utc(2026, 3, 14, 15, 9, 59), 0},
			{"the minute has ended", utc(2026, 3, 14, 15, 10, 0), 1},
			{"again: nothing more", utc(2026, 3, 14, 15, 11, 0), 0},
			{"the day and the month have ended", utc(2026, 4, 1, 0, 0, 1), 2},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				clk.Set(tt.at)
				n, err := svc.Sweep(ctx)
				if err != nil || n != tt.want {
					t.Errorf("Sweep = %d, %v; want %d", n, err, tt.want)
				}
			})
		}
		if n, err := client.UsageCounter.Query().Count(ctx); err != nil || n != 0 {
			t.Errorf("%d counters left (err %v), want none", n, err)
		}
	})
}

func TestClientIP(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		same bool
	}{
		{"one IPv4 address", "203.0.113.7", "203.0.113.7", true},
		{"two IPv4 addresses", "203.0.113.7", "203.0.113.8", false},
		{"IPv4 and its IPv6 mapping", "203.0.113.7", "::ffff:203.0.113.7", true},
		{"one IPv6 /64", "2001:db8:1:2::1", "2001:db8:1:2:ffff::9", true},
		{"two IPv6 /64s", "2001:db8:1:2::1", "2001:db8:1:3::1", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := quota.ClientIP(netip.MustParseAddr(tt.a))
			b := quota.ClientIP(netip.MustParseAddr(tt.b))
			if (a == b) != tt.same {
				t.Errorf("%s and %s: same subject = %t, want %t", a, b, a == b, tt.same)
			}
		})
	}
}
