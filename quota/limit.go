package quota

import (
	"net/netip"
	"strconv"
	"time"
)

// What the Take calls count, as Limit names.
const (
	Scan    = "scan"
	Sign    = "sign"
	Verify  = "verify"
	Request = "request"
)

// subjectKind is what a Subject stands for.
type subjectKind uint8

const (
	kindAccount subjectKind = iota + 1
	kindAPIKey
	kindClient
)

// Subject is whom a count belongs to: an account, one of its API keys, or
// a client without a key, known by its address. Make one with Account,
// APIKey or ClientIP; the zero Subject is invalid.
type Subject struct {
	accountID int
	kind      subjectKind
	id        string
}

// Account is the subject of counts shared by every key of an account, such
// as its plan's monthly quotas.
func Account(accountID int) Subject {
	return Subject{accountID: accountID, kind: kindAccount}
}

// APIKey is the subject of one API key's counts.
func APIKey(accountID, keyID int) Subject {
	return Subject{accountID: accountID, kind: kindAPIKey, id: strconv.Itoa(keyID)}
}

// ClientIP is the subject of a caller without a key, known by its address.
// An IPv6 address counts for its whole /64, the block one host is usually
// given, so that a client cannot escape its limit by changing addresses
// within it.
func ClientIP(addr netip.Addr) Subject {
	addr = addr.Unmap()
	id := addr.String()
	if addr.Is6() {
		id = netip.PrefixFrom(addr, 64).Masked().String()
	}
	return Subject{kind: kindClient, id: id}
}

// String names the subject for logs: "account 5", "API key 12",
// "client 203.0.113.7".
func (s Subject) String() string {
	switch s.kind {
	case kindAccount:
		return "account " + strconv.Itoa(s.accountID)
	case kindAPIKey:
		return "API key " + s.id
	case kindClient:
		return "client " + s.id
	default:
		return "no subject"
	}
}

// owner names the subject to itself, in an error message.
func (s Subject) owner() string {
	switch s.kind {
	case kindAccount:
		return "this account's"
	case kindAPIKey:
		return "this API key's"
	default:
		return "this client's"
	}
}

// prefix is what the names of the subject's counters start with: nothing
// for an account (whose counters carry its ID), "key:12:" or
// "ip:203.0.113.7:".
func (s Subject) prefix() string {
	switch s.kind {
	case kindAPIKey:
		return "key:" + s.id + ":"
	case kindClient:
		return "ip:" + s.id + ":"
	default:
		return ""
	}
}

// Limit caps what one subject may use in one window.
type Limit struct {
	// Subject is whose count it is.
	Subject Subject
	// Name is what is counted, e.g. Sign or Request; a subject's limits
	// of one name and different windows count separately.
	Name string
	// Window is the span the count covers.
	Window Window
	// Max is the most the window allows. Zero or less means no limit: the
	// Limit is neither enforced nor counted.
	Max int
}

// Limit returns the limit of maxCount of name per window for s.
func (s Subject) Limit(name string, window Window, maxCount int) Limit {
	return Limit{Subject: s, Name: name, Window: window, Max: maxCount}
}

// counter is the name of the row that counts l, e.g. "sign:month" or
// "key:12:request:minute".
func (l Limit) counter() string {
	return l.Subject.prefix() + l.Name + ":" + l.Window.String()
}

// Usage is where one limit stands, for X-RateLimit-* headers: of the
// limits a call named, the one with the least remaining (of those, the one
// that resets last). The zero Usage means no limit applied.
type Usage struct {
	// Limit is the limit reported.
	Limit Limit
	// Used is the count of its current window, this call's amount included.
	Used int
	// Remaining is what the window still allows.
	Remaining int
	// Reset is when the window ends.
	Reset time.Time
}

// tighter reports whether u is closer to its limit than v, so that a
// caller reading the headers learns the limit that will stop it first.
func (u Usage) tighter(v Usage) bool {
	if v.Limit.Max <= 0 {
		return true
	}
	if u.Remaining != v.Remaining {
		return u.Remaining < v.Remaining
	}
	return u.Reset.After(v.Reset)
}
