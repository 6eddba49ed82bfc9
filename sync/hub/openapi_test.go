package hub_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/motcua/motcua/sync/protocol"
)

// apiRecorder checks every exchange the tests make against the embedded
// OpenAPI document: the path and method are declared, the status code is
// one of the operation's responses, and a JSON answer carries the required
// properties of its schema (and an error answer those of Error).
type apiRecorder struct {
	t   testing.TB
	doc openapiDoc
}

type openapiDoc struct {
	Paths      map[string]map[string]openapiOp `yaml:"paths"`
	Components struct {
		Schemas   map[string]openapiSchema `yaml:"schemas"`
		Responses map[string]openapiResp   `yaml:"responses"`
	} `yaml:"components"`
}

type openapiOp struct {
	Responses map[string]openapiResp `yaml:"responses"`
}

type openapiResp struct {
	Ref     string `yaml:"$ref"`
	Content map[string]struct {
		Schema openapiSchema `yaml:"schema"`
	} `yaml:"content"`
}

type openapiSchema struct {
	Ref      string          `yaml:"$ref"`
	Required []string        `yaml:"required"`
	AllOf    []openapiSchema `yaml:"allOf"`
}

func newAPIRecorder(t testing.TB) *apiRecorder {
	var d openapiDoc
	if err := yaml.Unmarshal(protocol.OpenAPI, &d); err != nil {
		t.Fatalf("openapi.yaml: %v", err)
	}
	return &apiRecorder{t: t, doc: d}
}

// match finds the template of path.
func (a *apiRecorder) match(path string) (string, bool) {
	if _, ok := a.doc.Paths[path]; ok {
		return path, true
	}
	ps := strings.Split(path, "/")
	for tmpl := range a.doc.Paths {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(ps) {
			continue
		}
		ok := true
		for i := range ts {
			if ts[i] != ps[i] && !(strings.HasPrefix(ts[i], "{") && ps[i] != "") {
				ok = false
				break
			}
		}
		if ok {
			return tmpl, true
		}
	}
	return "", false
}

func (a *apiRecorder) required(s openapiSchema) []string {
	if s.Ref != "" {
		name := s.Ref[strings.LastIndex(s.Ref, "/")+1:]
		return a.required(a.doc.Components.Schemas[name])
	}
	req := append([]string{}, s.Required...)
	for _, x := range s.AllOf {
		req = append(req, a.required(x)...)
	}
	return req
}

type captureWriter struct {
	http.ResponseWriter
	code int
	body bytes.Buffer
}

func (c *captureWriter) WriteHeader(code int) {
	if c.code == 0 {
		c.code = code
	}
	c.ResponseWriter.WriteHeader(code)
}

func (c *captureWriter) Write(b []byte) (int, error) {
	if c.code == 0 {
		c.code = 200
	}
	if c.body.Len() < 1<<20 {
		c.body.Write(b)
	}
	return c.ResponseWriter.Write(b)
}

func (c *captureWriter) Flush() {
	if f, ok := c.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (a *apiRecorder) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &captureWriter{ResponseWriter: w}
		h.ServeHTTP(cw, r)
		if cw.code == 0 {
			return // the handler dropped the connection (cut upload)
		}
		a.check(r.Method, r.URL.Path, cw)
	})
}

func (a *apiRecorder) check(method, path string, cw *captureWriter) {
	tmpl, ok := a.match(path)
	if !ok {
		a.t.Errorf("openapi: %s %s is not in the document", method, path)
		return
	}
	op, ok := a.doc.Paths[tmpl][strings.ToLower(method)]
	if !ok {
		a.t.Errorf("openapi: %s %s: method not in the document", method, tmpl)
		return
	}
	resp, ok := op.Responses[strconv.Itoa(cw.code)]
	if !ok {
		a.t.Errorf("openapi: %s %s answered %d, not a declared response", method, tmpl, cw.code)
		return
	}
	if resp.Ref != "" {
		resp = a.doc.Components.Responses[resp.Ref[strings.LastIndex(resp.Ref, "/")+1:]]
	}
	ct := cw.Header().Get("Content-Type")
	if !strings.HasPrefix(ct, "application/json") {
		return
	}
	c, ok := resp.Content["application/json"]
	if !ok {
		a.t.Errorf("openapi: %s %s %d answered JSON, the document declares none", method, tmpl, cw.code)
		return
	}
	var body map[string]json.RawMessage
	if err := json.Unmarshal(cw.body.Bytes(), &body); err != nil {
		a.t.Errorf("openapi: %s %s %d: body is not a JSON object: %v", method, tmpl, cw.code, err)
		return
	}
	for _, f := range a.required(c.Schema) {
		if _, ok := body[f]; !ok {
			a.t.Errorf("openapi: %s %s %d: required property %q missing", method, tmpl, cw.code, f)
		}
	}
}

func TestTheHubServesItsOpenAPIDocument(t *testing.T) {
	e := newEnv(t, backends[0].open(t))
	resp, b := e.do(e.req(nil, "GET", protocol.PathOpenAPI, nil, nil))
	if resp.StatusCode != 200 || !bytes.Equal(b, protocol.OpenAPI) {
		t.Fatalf("GET /openapi.yaml: %d, %d bytes", resp.StatusCode, len(b))
	}
	var d openapiDoc
	if err := yaml.Unmarshal(b, &d); err != nil || len(d.Paths) < 10 {
		t.Fatalf("document: %v, %d paths", err, len(d.Paths))
	}
}
