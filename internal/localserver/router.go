package localserver

import (
	"strings"

	"bilhetagem/internal/operations"
)

// route is a registry operation with its path split into segments.
type route struct {
	op       operations.Operation
	segments []string
}

// router matches paths against the registry's templates, as API Gateway does
// with its routes.
type router struct{ routes []route }

func newRouter(ops []operations.Operation) *router {
	r := &router{}
	for _, op := range ops {
		r.routes = append(r.routes, route{op: op, segments: split(op.Path)})
	}
	return r
}

func split(path string) []string {
	return strings.Split(strings.Trim(path, "/"), "/")
}

// match finds the operation for a method and path. It returns the path
// parameters, and when the path exists under other methods only, those
// methods (for a 405).
func (r *router) match(method, path string) (op operations.Operation, params map[string]string, allowed []string, found bool) {
	segs := split(path)
	for _, rt := range r.routes {
		p, ok := matchSegments(rt.segments, segs)
		if !ok {
			continue
		}
		if rt.op.Method == method {
			// A literal route wins over a template one when both match.
			if !found || literalCount(rt.segments) > literalCount(split(op.Path)) {
				op, params, found = rt.op, p, true
			}
			continue
		}
		allowed = append(allowed, rt.op.Method)
	}
	return op, params, allowed, found
}

func matchSegments(tmpl, segs []string) (map[string]string, bool) {
	if len(tmpl) != len(segs) {
		return nil, false
	}
	params := map[string]string{}
	for i, t := range tmpl {
		if strings.HasPrefix(t, "{") && strings.HasSuffix(t, "}") {
			if segs[i] == "" {
				return nil, false
			}
			params[t[1:len(t)-1]] = segs[i]
			continue
		}
		if t != segs[i] {
			return nil, false
		}
	}
	return params, true
}

func literalCount(segs []string) int {
	n := 0
	for _, s := range segs {
		if !strings.HasPrefix(s, "{") {
			n++
		}
	}
	return n
}
