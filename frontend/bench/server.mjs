// Starts the real local server (bin/local) on a free loopback port with a
// given web folder and an in-memory DynamoDB Local with the seed — the same
// way as e2e/local-server.mjs, with the web folder as a parameter so the
// bench can serve a copy of the build with its baseline page beside it.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..', '..');

/** Starts the server, trying again when it exits while starting (DynamoDB Local on a busy machine). */
export async function startServer({ web, attempts = 3, timeoutMs = 90_000 }) {
  for (let i = 1; ; i++) {
    try {
      return await startOnce(web, timeoutMs);
    } catch (err) {
      if (i >= attempts) throw err;
      console.error(`local server did not start (attempt ${i} of ${attempts}); trying again`);
    }
  }
}

async function startOnce(web, timeoutMs) {
  const bin = resolve(repo, process.env.BILHETAGEM_LOCAL_BIN ?? 'bin/local');
  const child = spawn(bin, ['-addr', '127.0.0.1:0', '-in-memory', '-web', web], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so DynamoDB Local goes with it
  });
  let log = '';
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`local server not up after ${timeoutMs} ms:\n${log}`)), timeoutMs);
    const onData = (chunk) => {
      log += chunk;
      for (const line of log.split('\n')) {
        if (!line.includes('bilhetagem is up')) continue;
        try {
          clearTimeout(timer);
          ok(JSON.parse(line).url);
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
    url,
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
