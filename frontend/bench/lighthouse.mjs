// `make bench-spa`: Lighthouse (mobile form factor, default simulated
// throttling) on the production SPA served by the real local server, beside
// an empty static page served by the same server as the same-run baseline,
// and the gzipped size of the initial JS. Every page is measured as the local
// server sends it (uncompressed) and through a gzip front, as CloudFront
// sends it in AWS. A measurement, never a check: it
// fails only when it cannot measure. Figures: docs/benchmarks.md.
//
// Environment: CHROMIUM_PATH (default /usr/bin/chromium), LIGHTHOUSE_RUNS
// (runs of every page, interleaved; the median by performance score is
// reported; default 3), LIGHTHOUSE_REPORTS (default frontend/bench/reports).
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { initialJs } from './initial-js.mjs';
import { startGzipProxy } from './gzip-proxy.mjs';
import { startLocalServer } from '../e2e/local-server.mjs';

const frontend = resolve(import.meta.dirname, '..');
const dist = join(frontend, 'dist/frontend/browser');
const reports = resolve(process.env.LIGHTHOUSE_REPORTS ?? join(frontend, 'bench/reports'));
const chromePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const runs = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const MOVIE = 'mov-linha-de-fogo';
const TARGETS = { performance: 95, accessibility: 100, initialJsGzipKB: 150 };

// Nothing leaves the machine: every host name but the loopback ones fails to
// resolve (the seed's posters name a host that does not exist), and
// Chromium's own background traffic is off (chrome-launcher's default flags
// add the rest: no component updates, sync, extensions or field trials).
const CHROME_FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

// The baseline: the smallest page that passes the same audits (lang, title,
// viewport, description), so its performance score is this machine's ceiling.
const BASELINE_HTML = `<!doctype html>
<html lang="pt-BR">
<head>
  <meta charset="utf-8">
  <title>Página vazia</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="description" content="Página vazia, a linha de base do benchmark.">
</head>
<body>
  <main><h1>Página vazia</h1></main>
</body>
</html>
`;

const METRICS = {
  'first-contentful-paint': 'FCP',
  'largest-contentful-paint': 'LCP',
  'total-blocking-time': 'TBT',
  'cumulative-layout-shift': 'CLS',
  'speed-index': 'SI',
};

async function main() {
  const js = initialJs(dist);
  mkdirSync(reports, { recursive: true });

  // A copy of the build with the baseline page beside index.html, served by the same server.
  const web = mkdtempSync(join(tmpdir(), 'bilhetagem-bench-web-'));
  cpSync(dist, web, { recursive: true });
  writeFileSync(join(web, 'bench-baseline.html'), BASELINE_HTML);

  const server = await startLocalServer({ web });
  const proxy = await startGzipProxy(server.url);
  const conditions = [
    { name: 'plain', label: 'as the local server sends it (no compression)', url: server.url },
    { name: 'gzip', label: 'gzip in front, as CloudFront sends it', url: proxy.url },
  ];
  const results = {};
  try {
    const showtime = await showtimeOf(server.url);
    const pages = [
      { name: 'baseline', label: 'baseline: empty static page', path: '/bench-baseline.html' },
      { name: 'home', label: 'home', path: '/' },
      { name: 'movie', label: `movie page (${MOVIE})`, path: `/filmes/${MOVIE}` },
      { name: 'seats', label: 'seat map of a showtime', path: `/sessoes/${showtime}/assentos` },
    ];
    for (const c of conditions) for (const p of pages) results[`${c.name}-${p.name}`] = { ...p, condition: c.name, conditionLabel: c.label, runs: [] };
    // Interleaved, so the baseline and the pages share the machine's moments.
    for (let r = 1; r <= runs; r++) {
      for (const c of conditions) {
        for (const p of pages) {
          const key = `${c.name}-${p.name}`;
          const lhr = await audit(c.url + p.path, join(reports, `${key}-${r}`));
          results[key].runs.push(summarize(lhr));
          const s = results[key].runs.at(-1);
          console.error(`run ${r}/${runs} ${key}: performance ${s.performance}, accessibility ${s.accessibility}`);
        }
      }
    }
  } finally {
    await proxy.stop();
    await server.stop();
    rmSync(web, { recursive: true, force: true });
  }

  const summary = {
    date: new Date().toISOString(),
    lighthouse: JSON.parse(readFileSync(join(frontend, 'node_modules/lighthouse/package.json'), 'utf8')).version,
    chromium: await chromiumVersion(),
    runs,
    targets: TARGETS,
    initialJs: js,
    pages: Object.values(results).map((p) => ({ ...p, median: median(p.runs) })),
  };
  writeFileSync(join(reports, 'summary.json'), JSON.stringify(summary, null, 2) + '\n');
  print(summary);
}

/** One Lighthouse run in a fresh headless Chromium; writes the JSON and HTML reports. */
async function audit(url, base) {
  const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: CHROME_FLAGS, logLevel: 'silent' });
  try {
    const result = await lighthouse(url, {
      port: chrome.port,
      output: ['json', 'html'],
      logLevel: 'error',
      onlyCategories: ['performance', 'accessibility'],
      // The default config: mobile form factor and screen, simulated slow 4G and 4x CPU slowdown.
    });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const [json, html] = result.report;
    writeFileSync(`${base}.json`, json);
    writeFileSync(`${base}.html`, html);
    if (result.lhr.runtimeError) throw new Error(`${url}: ${result.lhr.runtimeError.code} ${result.lhr.runtimeError.message}`);
    return result.lhr;
  } finally {
    await chrome.kill();
  }
}

function summarize(lhr) {
  const score = (c) => Math.round(lhr.categories[c].score * 100);
  const metrics = Object.fromEntries(Object.entries(METRICS).map(([id, k]) => [k, lhr.audits[id].numericValue]));
  const failing = (c) =>
    lhr.categories[c].auditRefs
      .filter((ref) => ref.weight > 0 && lhr.audits[ref.id].score !== null && lhr.audits[ref.id].score < 1)
      .map((ref) => ({ id: ref.id, score: lhr.audits[ref.id].score, title: lhr.audits[ref.id].title, displayValue: lhr.audits[ref.id].displayValue }));
  return {
    performance: score('performance'),
    accessibility: score('accessibility'),
    metrics,
    failingPerformance: failing('performance'),
    failingAccessibility: failing('accessibility'),
    warnings: lhr.runWarnings,
  };
}

/** The run with the median performance score (Lighthouse's advice for noisy machines). */
function median(list) {
  const sorted = [...list].sort((a, b) => a.performance - b.performance);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

async function showtimeOf(url) {
  const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(new Date(Date.now() + 24 * 3600 * 1000));
  const res = await fetch(`${url}/api/showtimes?movieId=${MOVIE}&date=${date}`);
  if (!res.ok) throw new Error(`showtimes of ${MOVIE}: ${res.status}`);
  const { items } = await res.json();
  if (!items?.length) throw new Error(`no showtime of ${MOVIE} tomorrow`);
  return items[0].id;
}

async function chromiumVersion() {
  const { execFile } = await import('node:child_process');
  return new Promise((ok) => execFile(chromePath, ['--version'], (err, out) => ok(err ? 'unknown' : out.trim())));
}

function print(s) {
  const ratio = (v, b) => (b ? (v / b).toFixed(2) : '—');
  const ms = (v) => (v >= 1000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`);
  const lines = [
    `Lighthouse ${s.lighthouse}, ${s.chromium}, mobile, simulated throttling; median of ${s.runs} run(s) by performance score`,
    '',
    '| page | performance | ratio to baseline | accessibility | ratio to baseline | FCP | LCP | TBT | CLS | SI |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  let condition;
  for (const p of s.pages) {
    const base = s.pages.find((b) => b.condition === p.condition && b.name === 'baseline').median;
    if (p.condition !== condition) {
      condition = p.condition;
      lines.push(`| **${p.conditionLabel}** | | | | | | | | | |`);
    }
    const m = p.median;
    const all = p.runs.map((r) => r.performance).join(', ');
    lines.push(
      `| ${p.label} | ${m.performance} (${all}) | ${ratio(m.performance, base.performance)} | ${m.accessibility} | ` +
        `${ratio(m.accessibility, base.accessibility)} | ${ms(m.metrics.FCP)} | ${ms(m.metrics.LCP)} | ${ms(m.metrics.TBT)} | ` +
        `${m.metrics.CLS.toFixed(3)} | ${ms(m.metrics.SI)} |`,
    );
  }
  lines.push('', `targets: performance ≥ ${s.targets.performance}, accessibility ${s.targets.accessibility}`);
  for (const p of s.pages) {
    for (const a of p.median.failingAccessibility) lines.push(`  ${p.condition} ${p.name}: accessibility audit ${a.id} fails: ${a.title}`);
    for (const a of p.median.failingPerformance) {
      lines.push(`  ${p.condition} ${p.name}: performance audit ${a.id} at ${Math.round(a.score * 100)}${a.displayValue ? ` (${a.displayValue})` : ''}`);
    }
  }
  const kb = (n) => (n / 1000).toFixed(1);
  lines.push(
    '',
    `initial JS: ${s.initialJs.files.length} files, ${kb(s.initialJs.bytes)} kB raw, ${kb(s.initialJs.gzipBytes)} kB gzip -9 ` +
      `(target ≤ ${s.targets.initialJsGzipKB} kB: ${s.initialJs.gzipBytes <= s.targets.initialJsGzipKB * 1000 ? 'met' : 'MISSED'})`,
    `reports: ${relative(process.cwd(), reports) || '.'}/`,
  );
  console.log(lines.join('\n'));
}

await main();
