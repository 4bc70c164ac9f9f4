// The initial JS of the production build: the scripts index.html loads
// (<script src> and <link rel="modulepreload">) and, transitively, the chunks
// they import statically — not the lazy routes' chunks, which load through
// import(). Each file is gzipped at level 9 with zlib, as a CDN would send it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export function initialJs(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const roots = [
    ...[...html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link\b[^>]*\brel="modulepreload"[^>]*\bhref="([^"]+\.js)"/g)].map((m) => m[1]),
  ];
  if (roots.length === 0) throw new Error(`no script in ${join(dist, 'index.html')}`);
  const seen = new Set();
  const queue = roots.map(local);
  while (queue.length) {
    const file = queue.shift();
    if (seen.has(file)) continue;
    seen.add(file);
    const src = readFileSync(join(dist, file), 'utf8');
    // Static imports only: `from"./chunk-X.js"` and `import"./chunk-X.js"`, never `import("./chunk-X.js")`.
    for (const m of src.matchAll(/(?:\bfrom|\bimport)\s*["']\.\/([^"']+\.js)["']/g)) queue.push(m[1]);
  }
  const files = [...seen].sort().map((file) => {
    const raw = readFileSync(join(dist, file));
    return { file, bytes: raw.length, gzipBytes: gzipSync(raw, { level: 9 }).length };
  });
  return {
    files,
    bytes: files.reduce((n, f) => n + f.bytes, 0),
    gzipBytes: files.reduce((n, f) => n + f.gzipBytes, 0),
  };
}

function local(src) {
  return src.replace(/^\.?\//, '');
}
