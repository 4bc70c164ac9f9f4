package localserver

import (
	"compress/gzip"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// gzipMinSize is the smallest body worth compressing: below it the gzip
// header and trailer win back little or nothing.
const gzipMinSize = 1024

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return w
}}

// withGzip compresses the static files h serves for clients that accept gzip,
// as CloudFront does in front of the S3 bucket in AWS: only compressible types
// (text, JavaScript, JSON, SVG, ...), never a body already encoded or of an
// already compressed format (images, fonts, archives), never a range or a
// body too small to gain. Compressible responses carry Vary: Accept-Encoding
// whether or not this one was compressed, so a cache keeps both forms apart.
func withGzip(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Range") != "" {
			h.ServeHTTP(w, r)
			return
		}
		gw := &gzipResponseWriter{ResponseWriter: w, accepts: acceptsGzip(r.Header.Values("Accept-Encoding"))}
		defer gw.close()
		h.ServeHTTP(gw, r)
	})
}

type gzipResponseWriter struct {
	http.ResponseWriter
	accepts     bool
	wroteHeader bool
	gz          *gzip.Writer
}

func (g *gzipResponseWriter) WriteHeader(status int) {
	if g.wroteHeader {
		return
	}
	g.wroteHeader = true
	h := g.Header()
	if status == http.StatusOK && h.Get("Content-Encoding") == "" && compressible(h.Get("Content-Type")) {
		h.Add("Vary", "Accept-Encoding")
		if n, err := strconv.Atoi(h.Get("Content-Length")); g.accepts && (err != nil || n >= gzipMinSize) {
			h.Set("Content-Encoding", "gzip")
			h.Del("Content-Length")
			h.Del("Accept-Ranges") // ranges would be of the encoded body; the file server serves them uncompressed
			g.gz = gzipWriters.Get().(*gzip.Writer)
			g.gz.Reset(g.ResponseWriter)
		}
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *gzipResponseWriter) Write(b []byte) (int, error) {
	if !g.wroteHeader {
		if g.Header().Get("Content-Type") == "" {
			g.Header().Set("Content-Type", http.DetectContentType(b))
		}
		g.WriteHeader(http.StatusOK)
	}
	if g.gz != nil {
		return g.gz.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

func (g *gzipResponseWriter) close() {
	if g.gz == nil {
		return
	}
	_ = g.gz.Close()
	g.gz.Reset(nil)
	gzipWriters.Put(g.gz)
	g.gz = nil
}

// acceptsGzip reads Accept-Encoding (RFC 9110 §12.5.3): gzip, x-gzip or * with
// a q-value above zero, unless gzip itself is refused with q=0.
func acceptsGzip(values []string) bool {
	star, gz := -1.0, -1.0
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				if k, val, ok := strings.Cut(strings.TrimSpace(p), "="); ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
					if err != nil {
						f = 0
					}
					q = f
				}
			}
			switch strings.ToLower(strings.TrimSpace(coding)) {
			case "gzip", "x-gzip":
				gz = max(gz, q)
			case "*":
				star = max(star, q)
			}
		}
	}
	if gz >= 0 {
		return gz > 0
	}
	return star > 0
}

// compressible says whether a media type gains from gzip: text and the
// textual application types. Images other than SVG, fonts (WOFF/WOFF2 are
// compressed already), audio, video and archives are sent as they are.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	if strings.HasPrefix(mt, "text/") || strings.HasSuffix(mt, "+json") || strings.HasSuffix(mt, "+xml") {
		return true
	}
	switch mt {
	case "application/javascript", "application/x-javascript", "application/json", "application/manifest+json",
		"application/xml", "application/wasm", "application/yaml", "image/x-icon", "image/vnd.microsoft.icon",
		"image/bmp", "font/ttf", "font/otf", "application/vnd.ms-fontobject":
		return true
	}
	return false
}
