// Fails when src/app/api/openapi.gen.ts is not what openapi-typescript
// generates from ../openapi/openapi.yaml today (run `npm run generate`).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const committed = join(root, 'src/app/api/openapi.gen.ts');
const dir = mkdtempSync(join(tmpdir(), 'api-client-'));
try {
  const fresh = join(dir, 'openapi.gen.ts');
  execFileSync(process.execPath, [join(root, 'node_modules/openapi-typescript/bin/cli.js'), join(root, '../openapi/openapi.yaml'), '-o', fresh], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (readFileSync(fresh, 'utf8') !== readFileSync(committed, 'utf8')) {
    console.error('src/app/api/openapi.gen.ts is stale: run `npm run generate` in frontend/ and commit it');
    process.exit(1);
  }
  console.log('API client is up to date with openapi/openapi.yaml');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
