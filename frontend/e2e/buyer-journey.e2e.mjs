// The buyer's journey in real headless Chromium against the real local
// server: home → movie → showtime → seats picked by keyboard → Reservar →
// login with the development issuer → back with the seats kept → Reservar → the hold's
// countdown, or the pt-BR "ainda não disponível" state while createHold answers 501.
//
// Run with `make test-e2e` (builds the SPA and bin/local first).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startLocalServer } from './local-server.mjs';

const shots = resolve(import.meta.dirname, '..', '..', process.env.SCREENSHOT_DIR ?? 'frontend/test-results/screenshots');
mkdirSync(shots, { recursive: true });

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];

let server;
let browser;

before(async () => {
  server = await startLocalServer();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A phone-sized page (or a desktop one) that fails the test on any page error. */
async function phonePage(t, desktop) {
  const context = await browser.newContext({
    viewport: desktop ?? { width: 390, height: 844 },
    deviceScaleFactor: desktop ? 1 : 2,
    isMobile: !desktop,
    hasTouch: !desktop,
    locale: 'pt-BR',
    timezoneId: 'America/Sao_Paulo',
  });
  // The seed's posters live on a host that does not exist; answer them locally so no test waits on DNS.
  await context.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (route) => route.fulfill({ status: 404, body: '' }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  t.after(async () => {
    await context.close();
    assert.deepEqual(errors, [], 'the page threw');
  });
  return page;
}

/** Whether the server's createHold is built yet (501 until its issue lands). */
async function createHoldIsImplemented() {
  const token = await fetch(`${server.url}/auth/token`, { method: 'POST', body: new URLSearchParams({ username: 'bruno' }) })
    .then((r) => r.json());
  const res = await fetch(`${server.url}/api/holds`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token.id_token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  return res.status !== 501;
}

async function shot(page, name) {
  await page.screenshot({ path: resolve(shots, `${name}.png`), fullPage: false });
}

test('a buyer browses, picks seats by keyboard, signs in and reserves them, or is told holds are not available yet', async (t) => {
  const page = await phonePage(t);

  // Home: now showing and coming soon, with the cinema picker.
  await page.goto(server.url + '/');
  await page.getByRole('heading', { name: 'Em cartaz' }).waitFor();
  await page.getByRole('heading', { name: 'Em breve' }).waitFor();
  await page.getByLabel('Cinema').waitFor();
  await page.locator('app-movie-card').nth(3).waitFor();
  assert.ok((await page.locator('app-movie-card').count()) >= 4, 'movie cards are listed');
  await page.waitForLoadState('networkidle');
  await shot(page, '01-home');

  // Movie page: synopsis, rating badge, trailer, showtimes by cinema and version.
  await page.getByRole('link', { name: /Linha de Fogo/ }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Linha de Fogo' }).waitFor();
  await page.getByRole('heading', { name: 'Sinopse' }).waitFor();
  await page.getByRole('img', { name: 'Não recomendado para menores de 16 anos' }).waitFor();
  assert.equal(await page.getByRole('link', { name: /Ver trailer/ }).getAttribute('target'), '_blank');
  // Tomorrow, so every showtime still sells whatever the hour of the run.
  await page.getByRole('button', { name: /Amanhã/ }).click();
  await page.locator('.version').first().waitFor();
  assert.match(await page.locator('.version').first().innerText(), /^(2D|3D|IMAX) · (Dublado|Legendado|Nacional)$/);
  const chip = page.locator('app-showtime-chips a').first();
  assert.match(await chip.innerText(), /^\d{2}:\d{2}$/, 'start times are HH:MM');
  await shot(page, '02-movie');
  await chip.click();

  // Seat selection: the live map; pick two seats with the keyboard only.
  await page.getByRole('group', { name: /Mapa de assentos/ }).waitFor();
  await page.getByTestId('meia-remaining').waitFor();
  assert.match(await page.getByTestId('meia-remaining').innerText(), /Meia-entrada: restam \d+ nesta sessão/);
  const first = page.locator('.seat[tabindex="0"]');
  assert.equal(await first.count(), 1, 'the map is one tab stop');
  await first.focus();
  for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'Home', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowRight']) {
    await page.keyboard.press(key);
  }
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
  const firstLabel = await focused();
  assert.match(firstLabel, /^Fileira D, assento \d+, padrão, livre$/);
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  // Zoneless Angular renders on the next frame: wait for it rather than read at once.
  await page.waitForFunction(() => document.querySelectorAll('.seat[aria-pressed="true"]').length === 2);
  const picked = page.locator('.seat[aria-pressed="true"]');
  const ids = await picked.evaluateAll((els) => els.map((e) => e.getAttribute('data-seat')));
  assert.ok(ids.every((id) => /^D\d+$/.test(id)), `seats in row D: ${ids}`);
  await page.getByRole('heading', { name: 'Seus assentos' }).waitFor();
  await page.getByLabel(`Tipo de ingresso do assento ${ids[1]}`).selectOption('MEIA_ESTUDANTE');
  await page.getByText('2 assentos').waitFor();
  await shot(page, '03-seats');

  // Reservar without a session goes to login and comes back with the seats kept.
  await page.getByRole('button', { name: 'Reservar' }).click();
  await page.getByRole('heading', { name: 'Entrar' }).waitFor();
  assert.match(page.url(), /\/entrar\?voltar=/);
  await shot(page, '04-login');
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await page.waitForURL(/\/auth\/authorize/);
  await page.getByRole('button', { name: /Ana Souza/ }).click();
  await page.waitForURL(/\/sessoes\/.+\/assentos$/);
  await page.getByTestId('user-name').waitFor();
  assert.equal(await page.getByTestId('user-name').innerText(), 'Olá, Ana');
  await page.waitForFunction(() => document.querySelectorAll('.seat[aria-pressed="true"]').length === 2);
  assert.deepEqual(await page.locator('.seat[aria-pressed="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-seat'))), ids);
  assert.equal(await page.getByLabel(`Tipo de ingresso do assento ${ids[1]}`).inputValue(), 'MEIA_ESTUDANTE');

  // Reservar signed in. createHold is being built in parallel: while it answers 501 the buyer reads
  // the pt-BR "ainda não disponível" state and nothing is held; once it lands the hold is real and
  // its countdown runs. Either way, what the page shows must match what the API did.
  const implemented = await createHoldIsImplemented();
  await page.getByRole('button', { name: 'Reservar' }).click();
  if (!implemented) {
    const problem = page.getByTestId('hold-problem');
    await problem.waitFor();
    const text = await problem.innerText();
    assert.match(text, /Ainda não disponível/);
    assert.match(text, /reservar assentos/);
    assert.match(text, /Nada foi feito/);
    assert.equal(await problem.locator('[data-code]').getAttribute('data-code'), 'not_implemented');
    assert.equal(await page.locator('app-countdown').count(), 0, 'no fake hold');
    await problem.scrollIntoViewIfNeeded();
  } else {
    const timer = page.getByRole('timer');
    await timer.waitFor();
    assert.match(await timer.innerText(), /^(10|0\d):\d{2}$/);
    await page.getByText(/Assentos reservados\. Total R\$/).waitFor();
    await timer.scrollIntoViewIfNeeded();
  }
  await shot(page, implemented ? '05-hold-countdown' : '05-hold-not-available');
});

test('a signed-in buyer sees their name after the development issuer login, and signs out', async (t) => {
  const page = await phonePage(t);
  await page.goto(server.url + '/');
  await page.getByRole('link', { name: 'Entrar' }).click();
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await page.getByRole('button', { name: /Bruno Lima/ }).click();
  await page.getByTestId('user-name').waitFor();
  assert.equal(await page.getByTestId('user-name').innerText(), 'Olá, Bruno');
  await page.waitForURL((url) => url.pathname === '/');

  // The session survives a reload of the tab.
  await page.reload();
  await page.getByTestId('user-name').waitFor();

  // My orders is behind login and shows the API's 501 as "ainda não disponível".
  await page.getByRole('link', { name: 'Meus pedidos' }).click();
  await page.getByRole('heading', { name: 'Meus pedidos' }).waitFor();
  await page.getByText('Ainda não disponível').waitFor();

  await page.getByRole('button', { name: 'Sair' }).click();
  await page.getByRole('link', { name: 'Entrar' }).waitFor();
  assert.equal(await page.getByTestId('user-name').count(), 0);
});

test('a deep link to a showtime that does not exist shows a pt-BR error, not a blank page', async (t) => {
  const page = await phonePage(t);
  await page.goto(server.url + '/sessoes/st-nao-existe/assentos');
  await page.getByRole('alert').getByText('Não encontrado').waitFor();
  await page.goto(server.url + '/filmes/mov-nao-existe');
  await page.getByRole('alert').getByText('Não encontrado').waitFor();
  await page.goto(server.url + '/pagina/que-nao-existe');
  await page.getByRole('heading', { name: 'Página não encontrada' }).waitFor();
});

test('the seat map and the movie page also lay out on a desktop screen', async (t) => {
  const page = await phonePage(t, { width: 1280, height: 800 });
  const res = await page.request.get(`${server.url}/api/showtimes?movieId=mov-linha-de-fogo&date=${tomorrow()}`);
  const { items } = await res.json();
  await page.goto(`${server.url}/sessoes/${items[0].id}/assentos`);
  await page.getByRole('group', { name: /Mapa de assentos/ }).waitFor();
  const [map, panel] = await Promise.all([page.locator('.map').boundingBox(), page.locator('aside.panel').boundingBox()]);
  assert.ok(panel.x > map.x + map.width - 1, 'the summary panel sits beside the map');
  await shot(page, '06-seats-desktop');
});

function tomorrow() {
  const d = new Date(Date.now() + 24 * 3600 * 1000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Sao_Paulo' }).format(d);
}
