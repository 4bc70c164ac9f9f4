// Pagamento's card part with Stripe configured, in real headless Chromium
// against the real local server, up to Stripe's boundary: the page's
// /config.json is routed to name Stripe with a test publishable key, and
// https://js.stripe.com/v3/ is answered by a stub (below) that defines
// window.Stripe with the few methods the SPA uses. Nothing reaches Stripe.
// The server still pays through its simulator, which does not know Stripe's
// PaymentMethods: the `pm_…` the stub makes is sent as card.token and
// refused as an unknown card (422), as a real unknown card would be. Every
// response carries the stack's Content-Security-Policy for Stripe, so the
// script tag is also checked against it.
// What this cannot test (Stripe's real iframe, a real 3-D Secure challenge)
// is listed in docs/adr/0700, SPA.
//
// Run with `make test-e2e` (builds the SPA and bin/local first).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { assertTokensOutliveServerNow, followServerClock, showtimePicker } from './expectations.mjs';
import { launchChromium, startLocalServer } from './local-server.mjs';
import { stackPolicy } from './stack-policy.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const STRIPE_JS = 'https://js.stripe.com/v3/';
const PUBLISHABLE_KEY = 'pk_test_e2e';

/**
 * Stands in for Stripe.js: records what the SPA asks in window.__stripe, and
 * "mounts" the Payment Element as a labelled field (Stripe's is an iframe).
 */
const STRIPE_STUB = `
window.__stripe = { loads: (window.__stripe?.loads ?? 0) + 1, keys: [], elements: [], mounted: 0, paymentMethods: 0 };
window.Stripe = function (key, options) {
  window.__stripe.keys.push(key);
  return {
    elements(options) {
      window.__stripe.elements.push(options);
      const handlers = {};
      return {
        create(type) {
          return {
            mount(host) {
              host.innerHTML = '<label style="display:grid;gap:4px">Número do cartão (campo da Stripe)'
                + '<input inputmode="numeric" autocomplete="cc-number" style="min-height:44px"></label>';
              window.__stripe.mounted++;
              setTimeout(() => handlers.ready && handlers.ready({}));
            },
            on(event, handler) { handlers[event] = handler; },
            focus() {},
            destroy() {},
          };
        },
        async submit() { return {}; },
      };
    },
    async createPaymentMethod() {
      window.__stripe.paymentMethods++;
      return { paymentMethod: { id: 'pm_e2e_stub' } };
    },
    async handleNextAction() { return { error: { type: 'invalid_request_error', message: 'não usado aqui' } }; },
  };
};
`;

let server;
let browser;
let showtimes;

before(async () => {
  server = await startLocalServer();
  await assertTokensOutliveServerNow(server.url);
  browser = await launchChromium(chromium);
  showtimes = showtimePicker(server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Fails on any serious or critical axe-core violation on the page as it is now. */
async function checkA11y(page, screen) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(bad, [], `axe-core on ${screen}`);
}

/** A free standard seat in the middle of a long free row, so the hold leaves no seat alone. */
function freeSeat(showtime) {
  const rows = new Map();
  for (const s of showtime.seatMap.seats) rows.set(s.y, [...(rows.get(s.y) ?? []), s]);
  for (const seats of [...rows.values()].reverse()) {
    if (seats.length < 12 || !seats.every((s) => s.status === 'AVAILABLE' && s.type === 'STANDARD')) continue;
    return seats.sort((a, b) => a.x - b.x)[Math.floor(seats.length / 2)].id;
  }
  return undefined;
}

test('with Stripe configured, Pagamento loads Stripe.js only at the card form, sends its pm_ as the card token, and offers Pix when Stripe.js cannot load', async (t) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  t.after(async () => {
    await context.close();
    assert.deepEqual(errors, [], 'the page threw');
  });
  // Nothing leaves the machine; routes registered later are tried first.
  await context.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (route) => route.fulfill({ status: 404, body: '' }));
  let stripeAnswer = 'stub';
  const stripeRequests = [];
  await context.route(STRIPE_JS, (route) => {
    stripeRequests.push(page.url());
    if (stripeAnswer === 'stub') return route.fulfill({ contentType: 'text/javascript', body: STRIPE_STUB });
    return route.abort('internetdisconnected');
  });
  // The server's own config, with Stripe named as the deployment would.
  await context.route('**/config.json', async (route) => {
    const served = await (await route.fetch()).json();
    await route.fulfill({ contentType: 'application/json', body: JSON.stringify({ ...served, payments: { provider: 'stripe', publishableKey: PUBLISHABLE_KEY } }) });
  });
  // The stack's policy where Stripe takes the card, on the SPA as the local server serves it (not on the
  // development issuer's pages, which stand in for Google's).
  const policy = stackPolicy({ stripe: true });
  await context.route(/^https?:\/\/(localhost|127\.0\.0\.1)(:\d+)?\/(?!auth\/|config\.json)/, async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
  });
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI || 'inline'}`));
  });
  await followServerClock(context, server.url);

  const showtime = await showtimes.next('mov-linha-de-fogo', (st) => freeSeat(st) !== undefined);
  const seat = freeSeat(showtime);
  await page.goto(server.url + '/entrar');
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await page.waitForURL(/\/auth\/authorize/);
  await page.getByRole('button', { name: /Ana Souza/ }).click();
  await page.getByTestId('user-name').waitFor();
  await page.goto(`${server.url}/sessoes/${showtime.id}/assentos`);
  await page.locator(`[data-seat="${seat}"]`).click();
  await page.getByRole('button', { name: 'Reservar' }).click();
  await page.waitForURL(/\/compra\/bomboniere$/);
  await page.getByRole('link', { name: 'Continuar' }).click();
  await page.getByRole('heading', { level: 1, name: 'Pagamento' }).waitFor();
  assert.deepEqual(stripeRequests, [], 'Stripe.js is not loaded before the card form shows');

  await page.getByRole('button', { name: 'Criar pedido' }).click();
  const form = page.getByTestId('stripe-card');
  await form.getByLabel('Número do cartão (campo da Stripe)').waitFor();
  const stripe = await page.evaluate(() => window.__stripe);
  assert.equal(stripe.loads, 1, 'Stripe.js loaded once');
  assert.equal(stripeRequests.length, 1);
  assert.deepEqual(stripe.keys, [PUBLISHABLE_KEY]);
  assert.equal(stripe.elements.length, 1);
  assert.deepEqual({ ...stripe.elements[0], amount: undefined }, {
    mode: 'payment', amount: undefined, currency: 'brl', paymentMethodCreation: 'manual', paymentMethodTypes: ['card'], locale: 'pt-BR',
  });
  assert.ok(stripe.elements[0].amount > 0, 'the element is for the order total');
  assert.equal(await page.getByTestId('sim-notice').count(), 0, 'no simulated test-card form');
  await checkA11y(page, 'checkout with the Stripe card form');
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), [], 'the stack\'s policy with Stripe blocked nothing');

  // Pagar: the PaymentMethod goes to createPayment as card.token; the simulator does not know it (422), and the
  // buyer keeps the hold and the order.
  const paid = page.waitForResponse((r) => /\/api\/orders\/[^/]+\/payments$/.test(r.url()) && r.request().method() === 'POST');
  await form.getByRole('button', { name: /^Pagar R\$/ }).click();
  const res = await paid;
  assert.deepEqual(JSON.parse(res.request().postData()), { method: 'CARD', card: { token: 'pm_e2e_stub', installments: 1 } });
  assert.equal(res.status(), 422);
  await page.getByTestId('order-problem').getByText('Cartão não reconhecido').waitFor();
  await page.getByRole('timer').waitFor();
  assert.ok(await page.evaluate(() => sessionStorage.getItem('bilhetagem.hold')), 'the hold is kept');

  // A reload where Stripe.js cannot be reached: the card part says so, and Pix is one click away.
  stripeAnswer = 'offline';
  await page.reload();
  const unavailable = page.getByTestId('stripe-unavailable');
  await unavailable.getByText('Não foi possível carregar o pagamento com cartão.').waitFor();
  await unavailable.getByText('Verifique a conexão ou pague com Pix.').waitFor();
  assert.equal(await unavailable.getByRole('alert').count(), 1, 'announced');
  assert.ok(await form.getByRole('button', { name: /^Pagar R\$/ }).isDisabled());
  await checkA11y(page, 'checkout when Stripe.js cannot load');
  await unavailable.getByRole('button', { name: 'Pagar com Pix' }).click();
  await page.getByRole('button', { name: 'Gerar Pix' }).waitFor();
  assert.ok(await page.getByRole('radio', { name: 'Pix' }).isChecked());
});
