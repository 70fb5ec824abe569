package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"runtime/debug"
	"strings"
	"time"

	"database/sql/driver"

	"entgo.io/contrib/entgql"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/gorilla/websocket"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"provgraph/accounts"
	"provgraph/apierror"
	"provgraph/db"
	"provgraph/ent"
	"provgraph/ent/schema/tenant"
	"provgraph/quota"
	"provgraph/resolvers"
)

const (
	// wsKeepAlive is how often an idle subscription connection is pinged.
	wsKeepAlive = 15 * time.Second
	// wsCloseForbidden is the graphql-transport-ws close code for a
	// refused connection_init.
	wsCloseForbidden = 4403
)

// newGraphQLHandler builds the GraphQL endpoint: POST, GET and multipart
// over HTTP, graphql-transport-ws (and the older graphql-ws) over
// WebSocket, with authentication, depth and complexity limits, one
// transaction per mutation, and errors that carry extensions.code.
func newGraphQLHandler(d Deps, o Options) *handler.Server {
	srv := handler.New(pagedComplexity{resolvers.NewSchema(&resolvers.Resolver{
		Client:      d.Client,
		Accounts:    d.Accounts,
		Assets:      d.Assets,
		Collections: d.Collections,
		EventLog:    d.Events,

		Signing:  d.Signing,
		Verifier: d.Verifications,

		JobsService:      d.Jobs,
		WebhooksService:  d.Webhooks,
		WorkflowsService: d.Workflows,
		AnalyticsService: d.Analytics,
	})})
	srv.AddTransport(transport.Websocket{
		Implementation:        gorillaWebsocket{upgrader: websocket.Upgrader{}},
		InitFunc:              websocketInit(d.Accounts),
		KeepAlivePingInterval: wsKeepAlive,
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: o.MaxUploadBytes, MaxMemory: 32 << 20})

	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.Use(extension.Introspection{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	srv.Use(requireCaller{limiter: newKeyLimiter(o.RateLimit, o.RateBurst), quota: d.Quota, log: d.Logger})
	srv.Use(depthLimit{max: o.MaxQueryDepth})
	srv.Use(extension.FixedComplexityLimit(o.MaxComplexity))
	// scanAssets and signAssets store (and scan or sign) their files before
	// they write rows, in transactions of their own; verifyFile and
	// verifyAsset validate a file and write one row. Under the operation's
	// transaction SQLite's write lock would be held while files stream and
	// are hashed.
	// createScanJob, createVerifyJob and runWorkflow store their uploads
	// first, for the same reason. Each of those, createSignJob and
	// runWorkflowOnCollection count their work against the quotas first, in
	// a transaction of its own that a refusal rolls back.
	srv.Use(entgql.Transactioner{TxOpener: txOpener{d.Client}, SkipTxFunc: entgql.SkipIfHasFields(
		"scanAssets", "signAssets", "verifyFile", "verifyAsset", "createScanJob", "createVerifyJob", "createSignJob", "runWorkflow", "runWorkflowOnCollection")})

	srv.SetErrorPresenter(presentError(d.Logger))
	srv.SetRecoverFunc(recoverResolver(d.Logger))
	return srv
}

// unboundedPageCost is what a connection read without first or last costs
// per item: such a read returns every row.
const unboundedPageCost = 100

// pagedComplexity makes a connection cost its page size times what one item
// costs, so that the complexity limit bounds the rows an operation can
// read, not only how many fields it names.
type pagedComplexity struct{ graphql.ExecutableSchema }

func (s pagedComplexity) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	if c, ok := s.ExecutableSchema.Complexity(ctx, typeName, field, child, args); ok {
		return c, true
	}
	if !isConnectionField(s.Schema(), typeName, field) {
		return 0, false
	}
	n := -1
	for _, key := range []string{"first", "last"} {
		if v, ok := pageSize(args[key]); ok && (n < 0 || v < n) {
			n = v
		}
	}
	if n < 0 {
		n = unboundedPageCost
	}
	if child > 0 && n > math.MaxInt32/child {
		return math.MaxInt32, true
	}
	return 1 + n*child, true
}

// isConnectionField reports whether typeName.field takes Relay paging
// arguments.
func isConnectionField(schema *ast.Schema, typeName, field string) bool {
	def := schema.Types[typeName]
	if def == nil {
		return false
	}
	f := def.Fields.ForName(field)
	return f != nil && f.Arguments.ForName("first") != nil && f.Arguments.ForName("last") != nil
}

// pageSize reads a first or last argument as the walker hands it over.
func pageSize(v any) (int, bool) {
	var n int64
	switch v := v.(type) {
	case int:
		n = int64(v)
	case int64:
		n = v
	case json.Number:
		var err error
		if n, err = v.Int64(); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if n < 0 || n > math.MaxInt32 {
		return 0, false
	}
	return int(n), true
}

// websocketInit authenticates a WebSocket connection by the Authorization
// entry of its connection_init payload ({"Authorization": "Bearer <key>"}).
func websocketInit(acc *accounts.Service) transport.WebsocketInitFunc {
	return func(ctx context.Context, p transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		h := p.Authorization()
		if h == "" {
			h = p.GetString("authorization")
		}
		v, err := authenticate(ctx, acc, h)
		if err != nil {
			// graphql-transport-ws: a refused connection_init closes with
			// 4403 Forbidden; the reason carries the API error code.
			ctx = transport.WithWebsocketCloseCode(ctx, wsCloseForbidden)
			ctx = transport.AppendCloseReason(ctx, string(apierror.CodeOf(err))+": "+apierror.Message(err))
			return ctx, nil, err
		}
		return tenant.NewContext(ctx, v), nil, nil
	}
}

// requireCaller refuses every operation of an unauthenticated request,
// except pure introspection (the schema is public; GraphiQL and code
// generators read it before a key is entered), and every operation over
// its key's rate limits: first this instance's token bucket, a cheap
// guard against bursts that never touches the database, then the
// per-minute count of quota, which every instance shares.
type requireCaller struct {
	limiter *keyLimiter
	quota   *quota.Service // nil: no database-counted limit
	log     *slog.Logger
}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationInterceptor
} = requireCaller{}

func (requireCaller) ExtensionName() string                   { return "RequireCaller" }
func (requireCaller) Validate(graphql.ExecutableSchema) error { return nil }

func (r requireCaller) InterceptOperation(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if v, ok := tenant.FromContext(ctx); ok {
		if !r.limiter.allow(v.APIKeyID) {
			return refuse(&burstError{retryAfter: r.limiter.retryAfter()})
		}
		if r.quota != nil {
			if _, err := r.quota.TakeRequest(ctx); err != nil {
				if apierror.CodeOf(err) == apierror.Internal {
					r.log.ErrorContext(ctx, "graphql: counting the request",
						slog.String("request_id", RequestID(ctx)),
						slog.String("error", err.Error()))
				}
				return refuse(err)
			}
		}
		return next(ctx)
	}
	if oc := graphql.GetOperationContext(ctx); oc != nil && introspectionOnly(oc.Operation) {
		return next(ctx)
	}
	err := authError(ctx)
	if err == nil {
		err = fmt.Errorf("%w: send Authorization: Bearer <API key>", apierror.ErrUnauthenticated)
	}
	return refuse(err)
}

// refuse answers an operation with err alone.
func refuse(err error) graphql.ResponseHandler {
	return graphql.OneShot(&graphql.Response{Errors: gqlerror.List{{
		Message:    apierror.Message(err),
		Extensions: errorExtensions(err, nil),
	}}})
}

// retryAfterer is an error that says when the caller may try again: a
// *quota.ExceededError or a *burstError.
type retryAfterer interface{ RetryAfterSeconds() int }

// errorExtensions sets err's code in ext (made when nil) and, for an error
// that says when to retry, retryAfter: whole seconds, at least one.
func errorExtensions(err error, ext map[string]any) map[string]any {
	if ext == nil {
		ext = map[string]any{}
	}
	ext["code"] = string(apierror.CodeOf(err))
	var ra retryAfterer
	if errors.As(err, &ra) {
		ext["retryAfter"] = ra.RetryAfterSeconds()
	}
	return ext
}

// introspectionOnly reports whether every root field of op is a meta field.
func introspectionOnly(op *ast.OperationDefinition) bool {
	if op == nil || op.Operation != ast.Query || len(op.SelectionSet) == 0 {
		return false
	}
	for _, s := range op.SelectionSet {
		f, ok := s.(*ast.Field)
		if !ok || !strings.HasPrefix(f.Name, "__") {
			return false
		}
	}
	return true
}

// depthLimit rejects operations nested deeper than max. Introspection
// fields are not counted: the standard introspection query is deep by
// design and bounded by the schema.
type depthLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = depthLimit{}

func (depthLimit) ExtensionName() string                   { return "DepthLimit" }
func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (l depthLimit) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	if d := selectionDepth(oc.Operation.SelectionSet, 0, map[string]bool{}); d > l.max {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("operation is %d levels deep, more than the limit of %d", d, l.max),
			Extensions: map[string]any{"code": string(apierror.InvalidInput)},
		}
	}
	return nil
}

// selectionDepth returns the deepest field nesting under set, following
// fragments (each at most once on a path, so cycles cannot recurse).
func selectionDepth(set ast.SelectionSet, depth int, visiting map[string]bool) int {
	deepest := depth
	for _, s := range set {
		var d int
		switch s := s.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue
			}
			d = selectionDepth(s.SelectionSet, depth+1, visiting)
		case *ast.InlineFragment:
			d = selectionDepth(s.SelectionSet, depth, visiting)
		case *ast.FragmentSpread:
			if s.Definition == nil || visiting[s.Name] {
				continue
			}
			visiting[s.Name] = true
			d = selectionDepth(s.Definition.SelectionSet, depth, visiting)
			delete(visiting, s.Name)
		}
		deepest = max(deepest, d)
	}
	return deepest
}

// presentError gives every error a stable extensions.code (and a rate
// limit's extensions.retryAfter) and hides the text of internal errors,
// which are logged with the request ID instead.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		gqlErr := graphql.DefaultErrorPresenter(ctx, err)
		switch gqlErr.Extensions["code"] {
		case nil:
		case "INVALID_PAGINATION": // entgql's: first/last out of range
			gqlErr.Extensions["code"] = string(apierror.InvalidInput)
			return gqlErr
		default:
			return gqlErr // gqlgen's own: parse, validation, complexity
		}
		cause := err
		if gqlErr.Err != nil {
			cause = gqlErr.Err
		}
		code := apierror.CodeOf(cause)
		if code == apierror.Internal {
			log.ErrorContext(ctx, "graphql: internal error",
				slog.String("request_id", RequestID(ctx)),
				slog.String("path", gqlErr.Path.String()),
				slog.String("error", cause.Error()))
		}
		gqlErr.Message = apierror.Message(cause)
		gqlErr.Extensions = errorExtensions(cause, gqlErr.Extensions)
		return gqlErr
	}
}

// errPanic is what a panicking resolver returns: an internal error.
var errPanic = errors.New("server: resolver panicked")

// recoverResolver logs a resolver's panic with its stack; the client sees
// an INTERNAL error on that field and the rest of the response.
func recoverResolver(log *slog.Logger) graphql.RecoverFunc {
	return func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "graphql: panic",
			slog.String("request_id", RequestID(ctx)),
			slog.String("panic", fmt.Sprint(v)),
			slog.String("stack", string(debug.Stack())))
		return errPanic
	}
}

// txOpener opens the transactions of GraphQL mutations through db.OpenTx,
// so that a job queued inside one is inserted in the same transaction.
type txOpener struct{ client *ent.Client }

// OpenTx implements entgql.TxOpener.
func (o txOpener) OpenTx(ctx context.Context) (context.Context, driver.Tx, error) {
	ctx, tx, err := db.OpenTx(ctx, o.client)
	if err != nil {
		return nil, nil, err
	}
	return ctx, tx, nil
}
