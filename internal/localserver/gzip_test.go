package localserver_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// get asks the server on loopback with exactly the Accept-Encoding given (the
// transport's own gzip handling is off) and returns the body as sent.
func (e *env) get(t *testing.T, path, acceptEncoding string, extra http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	require.NoError(t, err)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	for k, v := range extra {
		req.Header[k] = v
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, b
}

func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	require.NoError(t, err)
	out, err := io.ReadAll(zr)
	require.NoError(t, err)
	return string(out)
}

func TestWebGzip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	js := "export const a = 1;\n" + strings.Repeat("console.log('bilhetagem');\n", 200)
	index := "<!doctype html><app-root>" + strings.Repeat("<p>shell</p>", 200) + "</app-root>"
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 4096)...)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte(index), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main-ABC.js"), []byte(js), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tiny.js"), []byte("console.log(1)"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "poster.png"), png, 0o644))
	e := start(t, dir)

	t.Run("JavaScript is gzipped for a client that accepts it", func(t *testing.T) {
		resp, body := e.get(t, "/main-ABC.js", "gzip, deflate, br", nil)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
		assert.Contains(t, resp.Header.Values("Vary"), "Accept-Encoding")
		assert.Contains(t, resp.Header.Get("Content-Type"), "javascript")
		assert.Equal(t, int64(len(body)), resp.ContentLength, "the length sent is the gzipped body's, not the file's")
		assert.Less(t, len(body), len(js)/4)
		assert.Equal(t, js, gunzip(t, body))
	})

	t.Run("index.html is gzipped for client routes too", func(t *testing.T) {
		resp, body := e.get(t, "/filmes/mov-aurora", "gzip", nil)
		assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
		assert.Equal(t, "no-cache", resp.Header.Get("Cache-Control"))
		assert.Equal(t, index, gunzip(t, body))
	})

	t.Run("a client that does not accept gzip gets the file as it is, with Vary", func(t *testing.T) {
		for _, ae := range []string{"", "identity", "br", "gzip;q=0", "*;q=0", "gzip;q=0, *"} {
			resp, body := e.get(t, "/main-ABC.js", ae, nil)
			assert.Empty(t, resp.Header.Get("Content-Encoding"), "Accept-Encoding %q", ae)
			assert.Contains(t, resp.Header.Values("Vary"), "Accept-Encoding", "Accept-Encoding %q", ae)
			assert.Equal(t, js, string(body), "Accept-Encoding %q", ae)
		}
	})

	t.Run("q-values and wildcards that allow gzip", func(t *testing.T) {
		for _, ae := range []string{"GZIP", "x-gzip", "*", "br;q=1.0, gzip;q=0.5", "identity, *;q=0.1"} {
			resp, body := e.get(t, "/main-ABC.js", ae, nil)
			assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"), "Accept-Encoding %q", ae)
			assert.Equal(t, js, gunzip(t, body), "Accept-Encoding %q", ae)
		}
	})

	t.Run("an already compressed image is never gzipped and does not vary", func(t *testing.T) {
		resp, body := e.get(t, "/poster.png", "gzip", nil)
		assert.Equal(t, "image/png", resp.Header.Get("Content-Type"))
		assert.Empty(t, resp.Header.Get("Content-Encoding"))
		assert.Empty(t, resp.Header.Values("Vary"))
		assert.Equal(t, png, body)
	})

	t.Run("a body too small to gain is sent as it is", func(t *testing.T) {
		resp, body := e.get(t, "/tiny.js", "gzip", nil)
		assert.Empty(t, resp.Header.Get("Content-Encoding"))
		assert.Equal(t, "console.log(1)", string(body))
	})

	t.Run("a range is served from the file as it is", func(t *testing.T) {
		resp, body := e.get(t, "/main-ABC.js", "gzip", http.Header{"Range": {"bytes=0-5"}})
		assert.Equal(t, http.StatusPartialContent, resp.StatusCode)
		assert.Empty(t, resp.Header.Get("Content-Encoding"))
		assert.Equal(t, js[:6], string(body))
	})

	t.Run("not modified carries no body and no encoding", func(t *testing.T) {
		first, _ := e.get(t, "/main-ABC.js", "gzip", nil)
		resp, body := e.get(t, "/main-ABC.js", "gzip", http.Header{"If-Modified-Since": {first.Header.Get("Last-Modified")}})
		assert.Equal(t, http.StatusNotModified, resp.StatusCode)
		assert.Empty(t, resp.Header.Get("Content-Encoding"))
		assert.Empty(t, body)
	})

	t.Run("the API is left to its handlers", func(t *testing.T) {
		resp, _ := e.get(t, "/api/cinemas", "gzip", nil)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Empty(t, resp.Header.Get("Content-Encoding"))
	})
}
