// A loopback proxy in front of the local server that gzips text responses
// when the browser accepts it, as CloudFront does for the deployed SPA
// (Compress on its behaviours) and the local server does not. The bench
// measures both, so the cost of uncompressed transfer is seen apart.
import { request, createServer } from 'node:http';
import { gzipSync } from 'node:zlib';

const TEXT = /^(text\/|application\/(javascript|json|xml)|image\/svg\+xml)/;

export async function startGzipProxy(target) {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const headers = { ...req.headers, host: upstream.host };
    delete headers['accept-encoding'];
    const up = request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (ur) => {
      const chunks = [];
      ur.on('data', (c) => chunks.push(c));
      ur.on('end', () => {
        let body = Buffer.concat(chunks);
        const out = { ...ur.headers };
        if (TEXT.test(ur.headers['content-type'] ?? '') && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '') && body.length > 0) {
          body = gzipSync(body, { level: 6 });
          out['content-encoding'] = 'gzip';
          out.vary = 'Accept-Encoding';
        }
        delete out['transfer-encoding'];
        out['content-length'] = String(body.length);
        res.writeHead(ur.statusCode ?? 502, out);
        res.end(body);
      });
    });
    up.on('error', (err) => {
      res.writeHead(502);
      res.end(String(err));
    });
    req.pipe(up);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    // The same host name as the server's, so /config.json and the issuer look alike.
    url: `${upstream.protocol}//${upstream.hostname}:${port}`,
    stop: () => new Promise((ok) => server.close(ok)),
  };
}
