// The Content-Security-Policy CloudFront sends in AWS, read from the Go
// function that builds it (cdk/web.go, contentSecurityPolicy), so browser
// tests put the stack's own policy on the local server's responses (the
// local server sends none).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** The policy without Stripe (the simulator) or with it (`stripe: true`, where Stripe takes the card). */
export function stackPolicy({ stripe = false } = {}) {
  const src = readFileSync(resolve(import.meta.dirname, '..', '..', 'cdk', 'web.go'), 'utf8');
  const body = src.match(/func contentSecurityPolicy\([^)]*\) string \{([\s\S]*?)\n\}/)?.[1];
  assert.ok(body, 'cdk/web.go declares func contentSecurityPolicy');
  const sources = body.match(/script, connect, frame = "([^"]*)", "([^"]*)", "([^"]*)"/);
  assert.ok(sources, 'contentSecurityPolicy names the Stripe sources of script, connect and frame');
  const vars = stripe ? { script: sources[1], connect: sources[2], frame: sources[3] } : { script: '', connect: '', frame: '' };
  const expr = body.match(/return ((?:\s*(?:"[^"]*"|\w+)\s*\+?)+)/)?.[1];
  assert.ok(expr, 'contentSecurityPolicy returns a concatenation of strings');
  const policy = [...expr.matchAll(/"([^"]*)"|(\w+)/g)].map(([, literal, name]) => {
    if (literal !== undefined) return literal;
    assert.ok(name in vars, `contentSecurityPolicy uses ${name}, which this reader does not know`);
    return vars[name];
  }).join('');
  assert.match(policy, /script-src 'self'/);
  return policy;
}
