// The SPA under the Content-Security-Policy CloudFront sends in AWS
// (cdk/web.go, read by stack-policy.mjs): the local server sends none, so
// this test puts the stack's own policy (the simulator's, without Stripe) on
// every response of the local server and checks that the pages
// still load their scripts and styles with no violation. It fails, for
// example, when the build loads its stylesheet through an inline onload
// handler, which `script-src 'self'` blocks (the page would stay unstyled).
//
// Run with `make test-e2e` (builds the SPA and bin/local first).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { launchChromium, startLocalServer } from './local-server.mjs';
import { stackPolicy } from './stack-policy.mjs';

let server;
let browser;

before(async () => {
  server = await startLocalServer();
  browser = await launchChromium(chromium);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('the SPA loads its scripts and styles under the stack\'s Content-Security-Policy, with no violation', async (t) => {
  const policy = stackPolicy();
  assert.doesNotMatch(policy, /stripe/, 'Stripe is allowed only where it takes the card');
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
  t.after(() => context.close());
  await context.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (route) => route.fulfill({ status: 404, body: '' }));
  await context.route(/^https?:\/\/(localhost|127\.0\.0\.1)/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
  });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI || 'inline'} ${e.sample || ''}`.trim());
    });
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));

  const screens = [
    { path: '/', ready: () => page.getByRole('heading', { name: 'Em cartaz' }) },
    { path: '/entrar', ready: () => page.getByRole('button', { name: 'Entrar', exact: true }) },
  ];
  for (const { path, ready } of screens) {
    await page.goto(server.url + path);
    await ready().waitFor(); // rendered by Angular, so its scripts ran
    await page.waitForLoadState('networkidle');
    const state = await page.evaluate(() => ({
      violations: window.__cspViolations,
      // Every stylesheet the page links applies to the screen.
      sheets: [...document.querySelectorAll('link[rel="stylesheet"]')].map((l) => ({ href: l.getAttribute('href'), media: l.media || 'all' })),
    }));
    assert.deepEqual(state.violations, [], `${path}: the policy blocked something`);
    assert.ok(state.sheets.length > 0, `${path}: the page links its stylesheet`);
    for (const s of state.sheets) {
      assert.equal(s.media, 'all', `${path}: ${s.href} applies to the screen`);
    }
  }
  assert.deepEqual(errors, [], 'the page threw');
});
