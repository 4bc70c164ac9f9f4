// Starts the real local server (bin/local) on a free loopback port with the
// SPA build and an in-memory DynamoDB Local, and stops it afterwards.
//
// E2E_CLOCK (an RFC 3339 instant, e.g. 2026-12-10T10:00:00-03:00) starts the
// server's clock there (bin/local -clock): it runs on from that instant and
// the seed is built for that day, so the suite runs as if it were any day and
// hour. Tests read the server's clock from getHealth, never the machine's.
// Today bin/local's development issuer signs tokens by the real clock, so a
// clock started more than an hour ahead of the real one fails the tests at
// once (expectations.mjs, assertTokensOutliveServerNow).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..', '..');

/**
 * Starts the server, trying again when it exits while starting (DynamoDB
 * Local sometimes answers its first CreateTable with a 500 on a busy machine).
 */
export async function startLocalServer({ attempts = 3, clock = clockFromEnv(), ...options } = {}) {
  for (let i = 1; ; i++) {
    try {
      return await startOnce({ ...options, clock });
    } catch (err) {
      if (i >= attempts) throw err;
      console.error(`local server did not start (attempt ${i} of ${attempts}); trying again`);
    }
  }
}

// web is the folder served at / (the production build unless given: the
// SPA bench serves a copy of it with a baseline page beside it).
// clock, when given, is where the server's clock starts (see E2E_CLOCK above).
async function startOnce({ timeoutMs = 90_000, web = resolve(repo, 'frontend/dist/frontend/browser'), clock } = {}) {
  const bin = resolve(repo, process.env.BILHETAGEM_LOCAL_BIN ?? 'bin/local');
  const args = ['-addr', '127.0.0.1:0', '-in-memory', '-web', web, ...(clock ? ['-clock', clock] : [])];
  const child = spawn(bin, args, {
    cwd: repo,
    // The simulated PSP pays a Pix by itself after a few seconds, so the Pix path runs end to end; the
    // door opens a week before a showtime, so a ticket bought hours ahead is checked in at once.
    env: {
      ...process.env,
      PSP_SIM_PIX_PAID_AFTER_SECONDS: process.env.PSP_SIM_PIX_PAID_AFTER_SECONDS ?? '4',
      CHECK_IN_OPENS_BEFORE_MINUTES: process.env.CHECK_IN_OPENS_BEFORE_MINUTES ?? '10080',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so DynamoDB Local goes with it
  });
  let log = '';
  const up = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`local server not up after ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk) => {
      log += chunk;
      for (const line of log.split('\n')) {
        if (!line.includes('bilhetagem is up')) continue;
        try {
          clearTimeout(timer);
          ok(JSON.parse(line));
        } catch {
          // a partial line; wait for the rest
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`local server exited with ${code}:\n${log}`));
    });
  });
  return {
    url: up.url,
    // Mailpit's API and inbox: the server e-mails buyers there from the table's stream.
    mail: up.mail,
    log: () => log,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((ok) => child.once('exit', ok));
      process.kill(-child.pid, 'SIGTERM');
      const killer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** E2E_CLOCK, checked before any server starts; undefined keeps the real clock. */
export function clockFromEnv(value = process.env.E2E_CLOCK) {
  if (!value) return undefined;
  if (!RFC3339.test(value) || Number.isNaN(Date.parse(value))) {
    throw new Error(`E2E_CLOCK must be an RFC 3339 instant such as 2026-12-08T23:50:00-03:00, got ${JSON.stringify(value)}`);
  }
  return value;
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

/** The system Chromium, headless, as every browser test launches it. */
export function launchChromium(chromium) {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}
