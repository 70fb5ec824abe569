package server

import (
	"embed"
	"html/template"
	"net/http"
)

// static holds the GraphiQL, React and ReactDOM UMD builds (from the npm
// packages graphiql 3.9.0, react 18.3.1, react-dom 18.3.1): the page works
// without any network access.
//
//go:embed static
var static embed.FS

// staticAssets serves the embedded files under /static/.
func staticAssets() http.Handler {
	fs := http.FileServerFS(static)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		fs.ServeHTTP(w, r)
	})
}

var graphiQLTemplate = template.Must(template.New("graphiql").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>provgraph GraphiQL</title>
<link rel="stylesheet" href="/static/graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading…</div>
<script src="/static/react.production.min.js"></script>
<script src="/static/react-dom.production.min.js"></script>
<script src="/static/graphiql.min.js"></script>
<script>
  const fetcher = GraphiQL.createFetcher({ url: {{.Endpoint}} });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: '# Set your API key in the Headers tab below, then run:\n{\n  viewer { id name plan }\n  collections(first: 10) {\n    totalCount\n    edges { node { id name description } }\n  }\n}\n',
      defaultHeaders: '{\n  "Authorization": "Bearer <your API key>"\n}',
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: 'headers',
    }),
  );
</script>
</body>
</html>
`))

// graphiQLPage serves the GraphiQL IDE for endpoint.
func graphiQLPage(endpoint string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:")
		if err := graphiQLTemplate.Execute(w, struct{ Endpoint string }{endpoint}); err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	})
}
