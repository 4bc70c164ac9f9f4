// The back office (/admin) in real headless Chromium against the real local
// server: a buyer gets "Acesso restrito"; staff (carla) reach every admin
// screen from the header link, each rendering its data with every call
// answered, with axe-core clean; a showtime scheduled in the admin area
// appears in the buyer's showtimes; and in a showtime's panel staff block a
// seat, unblock it and reschedule it.
//
// Days are counted from the server's clock and each page's clock follows it
// (expectations.mjs), so the tests pass on any day and hour, and with
// E2E_CLOCK=<RFC 3339 instant> as if it were another.
//
// Run with `make test-e2e` (builds the SPA and bin/local first).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { addDays, assertTokensOutliveServerNow, followServerClock, serverNow, spDate, spTime } from './expectations.mjs';
import { launchChromium, startLocalServer } from './local-server.mjs';

const shots = resolve(import.meta.dirname, '..', '..', process.env.SCREENSHOT_DIR ?? 'frontend/test-results/screenshots');
mkdirSync(shots, { recursive: true });

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');


let server;
let browser;

before(async () => {
  server = await startLocalServer();
  await assertTokensOutliveServerNow(server.url);
  browser = await launchChromium(chromium);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A desktop page (the back office is used on a desktop) that fails the test on any page error. */
async function desktopPage(t) {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: 'pt-BR',
    timezoneId: 'America/Sao_Paulo',
  });
  await context.route(/^https?:\/\/(?!localhost|127\.0\.0\.1)/, (route) => route.fulfill({ status: 404, body: '' }));
  await followServerClock(context, server.url);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  t.after(async () => {
    await context.close();
    assert.deepEqual(errors, [], 'the page threw');
  });
  return page;
}

async function tokenFor(username) {
  const res = await fetch(`${server.url}/auth/token`, { method: 'POST', body: new URLSearchParams({ username }) });
  return (await res.json()).id_token;
}

async function signIn(page, name) {
  await page.goto(server.url + '/entrar');
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await page.waitForURL(/\/auth\/authorize/);
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await page.getByTestId('user-name').waitFor();
}

async function checkA11y(page, screen) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(bad, [], `axe-core on ${screen}`);
}

async function shot(page, name) {
  await page.screenshot({ path: resolve(shots, `${name}.png`), fullPage: true });
}

/** The São Paulo calendar day n days after the server's today. */
async function spDay(n) {
  return addDays(spDate(await serverNow(server.url)), n);
}

test('a buyer signed in sees no admin link, and /admin shows "Acesso restrito"', async (t) => {
  const page = await desktopPage(t);
  await signIn(page, 'Ana');
  assert.equal(await page.getByTestId('admin-link').count(), 0, 'no admin link for a buyer');
  await page.goto(server.url + '/admin');
  await page.getByRole('heading', { level: 1, name: 'Acesso restrito à equipe' }).waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Administração' }).count(), 0);
  await shot(page, 'admin-01-restricted');
  await checkA11y(page, 'admin restricted');
});

/** Every admin screen, its heading, and the data it shows once loaded. */
const SCREENS = [
  { link: 'Filmes', heading: 'Filmes', ready: '[data-testid="movies"]',
    editor: { name: 'movie-editor', open: '[data-testid="movies"] tbody th a', ready: 'form #movie-title' } },
  { link: 'Programação', heading: 'Programação', ready: 'app-schedule-grid' },
  { link: 'Bomboniere e estoque', heading: 'Bomboniere e estoque', ready: '[data-testid="products"]',
    editor: { name: 'product-editor', open: '[data-testid="products"] tbody button', ready: '[data-testid="product-editor"]' } },
  { link: 'Preços', heading: 'Preços', ready: '[data-testid="price-grid"]' },
  // Its data is what listSalesReport answers for the last days: a row per day, or the empty state when none.
  { link: 'Relatórios', heading: 'Relatórios de vendas', report: true },
];

test('staff open every admin screen from the header; each shows its data with every call answered, and passes axe-core', async (t) => {
  const page = await desktopPage(t);
  const failed = [];
  page.on('response', (r) => {
    if (new URL(r.url()).pathname.startsWith('/api/') && r.status() >= 400) failed.push(`${r.request().method()} ${r.url()}: ${r.status()}`);
  });
  await signIn(page, 'Carla');
  await page.getByTestId('admin-link').click();
  await page.waitForURL(/\/admin\/filmes$/);
  for (const [i, s] of SCREENS.entries()) {
    const report = s.report && page.waitForResponse((r) => new URL(r.url()).pathname === '/api/admin/reports/sales');
    await page.getByRole('navigation', { name: 'Administração' }).getByRole('link', { name: s.link, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: s.heading }).waitFor();
    if (report) {
      const res = await report;
      assert.equal(res.status(), 200, 'listSalesReport');
      // The same report asked for as staff (Chromium does not always keep the page's response body for the test).
      const asked = new URL(res.url());
      const same = await fetch(`${server.url}${asked.pathname}${asked.search}`, { headers: { Authorization: `Bearer ${await tokenFor('carla')}` } });
      assert.equal(same.status, 200);
      const { days } = await same.json();
      if (days.length === 0) {
        await page.getByText('Nenhuma venda nem sessão neste período.').waitFor();
      } else {
        await page.getByTestId('report-days').waitFor();
        assert.equal(await page.getByTestId('report-days').locator('tbody tr').count(), days.length, 'a row per day of the report');
      }
    } else {
      await page.locator(s.ready).first().waitFor();
    }
    await page.waitForLoadState('networkidle');
    const link = page.getByRole('navigation', { name: 'Administração' }).getByRole('link', { name: s.link, exact: true });
    assert.equal(await link.getAttribute('aria-current'), 'page', `${s.link} is the current page`);
    assert.deepEqual(failed, [], `${s.link}: every call answered`);
    assert.deepEqual(await page.locator('app-notice [data-code]').allInnerTexts(), [], `${s.link}: no problem shown`);
    await shot(page, `admin-0${i + 2}-${s.link.split(' ')[0].normalize('NFD').replace(/[^a-zA-Z]/g, '').toLowerCase()}`);
    await checkA11y(page, `admin ${s.link}`);
    if (s.editor) {
      await page.locator(s.editor.open).first().click();
      await page.locator(s.editor.ready).first().waitFor();
      await page.waitForLoadState('networkidle');
      assert.deepEqual(failed, [], `${s.editor.name}: every call answered`);
      await shot(page, `admin-0${i + 2}-${s.editor.name}`);
      await checkA11y(page, `admin ${s.editor.name}`);
    }
  }
});

test('staff schedule a showtime in the admin area and it appears in the buyer\'s showtimes of that day', async (t) => {
  const day = await spDay(20);
  const cinemas = (await fetch(`${server.url}/api/cinemas`).then((r) => r.json())).items;
  const cinema = cinemas[0];
  const room = cinema.rooms[0];
  const movie = (await fetch(`${server.url}/api/movies?status=NOW_SHOWING`).then((r) => r.json())).items[0];
  const page = await desktopPage(t);
  await signIn(page, 'Carla');
  await page.goto(server.url + '/admin/programacao');
  await page.getByRole('heading', { level: 1, name: 'Programação' }).waitFor();
  await page.getByLabel('Cinema').selectOption(cinema.id);
  await page.getByLabel('Filme').selectOption(movie.id);
  await page.getByRole('group', { name: 'Salas' }).getByRole('checkbox', { name: new RegExp(`^${room.name}\\b`) }).check();
  await page.getByLabel('Primeiro dia').fill(day);
  await page.getByLabel('Último dia').fill(day);
  await page.getByLabel('Horários').fill('10:00');
  await page.getByLabel('Formato').selectOption(room.formats[0]);
  await page.getByLabel('Idioma').selectOption('LEGENDADO');
  await page.getByRole('button', { name: 'Programar sessões' }).click();
  await page.getByTestId('schedule-created').waitFor();
  assert.match(await page.getByTestId('schedule-created').innerText(), /^1 sessão programada/);

  // The grid moved to that day and shows the new block in the room's row.
  const block = page.locator(`[data-room="${room.id}"] button.block`, { hasText: movie.title });
  await block.first().waitFor();
  assert.match(await block.first().innerText(), /10:00–/);
  await shot(page, 'admin-07-scheduled');
  await checkA11y(page, 'admin schedule with a new showtime');

  // The buyer's side lists it for that day.
  const list = await fetch(`${server.url}/api/showtimes?movieId=${movie.id}&date=${day}`).then((r) => r.json());
  const found = list.items.find((s) => s.roomId === room.id && s.cinemaId === cinema.id && spTime(s.startsAt) === '10:00');
  assert.ok(found, `the new showtime is in listShowtimes for ${day}: ${JSON.stringify(list.items.map((s) => [s.roomId, s.startsAt]))}`);

  // Half an hour later in the same room overlaps it: refused, with the conflict marked on the grid.
  await page.getByLabel('Horários').fill('10:30');
  await page.getByRole('button', { name: 'Programar sessões' }).click();
  await page.getByTestId('conflicts').waitFor();
  assert.match(await page.getByTestId('schedule-form-problem').innerText(), /Horário ocupado/);
  assert.ok((await page.locator(`[data-room="${room.id}"] button.block.conflict`).count()) >= 1, 'the conflicting showtime is marked');
  await page.locator('[data-testid="conflict-band"]').first().waitFor();
  await shot(page, 'admin-08-conflict');
  await checkA11y(page, 'admin schedule with a conflict');
});

test('staff block a seat of a scheduled showtime and unblock it, then reschedule the showtime to a free time', async (t) => {
  const day = await spDay(22);
  const cinema = (await fetch(`${server.url}/api/cinemas`).then((r) => r.json())).items[0];
  const room = cinema.rooms[0];
  const movie = (await fetch(`${server.url}/api/movies?status=NOW_SHOWING`).then((r) => r.json())).items[0];
  const staff = { Authorization: `Bearer ${await tokenFor('carla')}`, 'Content-Type': 'application/json' };
  const created = await fetch(`${server.url}/api/admin/showtimes`, {
    method: 'POST', headers: staff,
    body: JSON.stringify({ movieId: movie.id, cinemaId: cinema.id, roomIds: [room.id], from: day, to: day, times: ['13:00'],
      format: room.formats[0], language: 'LEGENDADO' }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const showtime = (await created.json()).items[0];
  const seatStatus = async (seatId) =>
    (await fetch(`${server.url}/api/showtimes/${showtime.id}`).then((r) => r.json())).seatMap.seats.find((s) => s.id === seatId).status;

  const page = await desktopPage(t);
  await signIn(page, 'Carla');
  await page.goto(server.url + '/admin/programacao');
  await page.getByRole('heading', { level: 1, name: 'Programação' }).waitFor();
  await page.getByLabel('Cinema').selectOption(cinema.id);
  await page.getByLabel('Dia', { exact: true }).fill(day);
  const block = page.locator(`[data-room="${room.id}"] button.block[data-showtime="${showtime.id}"]`);
  await block.waitFor();
  await block.focus();
  await page.keyboard.press('Enter');
  const dialog = page.locator('dialog[open]');
  await dialog.getByTestId('admin-seat-map').waitFor();

  // Block the first free seat with a reason: the map and getShowtime show it BLOCKED.
  const seatId = await dialog.locator('.seat[data-status="AVAILABLE"]').first().getAttribute('data-seat');
  await dialog.locator(`.seat[data-seat="${seatId}"]`).click();
  await dialog.locator(`.seat[data-seat="${seatId}"][aria-pressed="true"]`).waitFor();
  await dialog.getByLabel('Motivo do bloqueio').fill('Poltrona quebrada.');
  await dialog.getByRole('button', { name: 'Bloquear 1 assento' }).click();
  await dialog.getByTestId('block-result').waitFor();
  await dialog.locator(`.seat[data-seat="${seatId}"][data-status="BLOCKED"]`).waitFor();
  const listed = dialog.locator(`[data-testid="blocked-list"] li[data-seat="${seatId}"]`);
  assert.match(await listed.innerText(), /Poltrona quebrada\..*carla/);
  assert.equal(await seatStatus(seatId), 'BLOCKED');
  await shot(page, 'admin-09-seat-blocked');
  await checkA11y(page, 'admin showtime panel with a blocked seat');

  // Unblock it: back on sale.
  await dialog.getByRole('button', { name: `Desbloquear ${seatId}` }).click();
  await dialog.locator(`.seat[data-seat="${seatId}"][data-status="AVAILABLE"]`).waitFor();
  assert.equal(await listed.count(), 0);
  assert.equal(await seatStatus(seatId), 'AVAILABLE');

  // Reschedule to a free time the same day, keeping tickets.
  await dialog.getByLabel('Novo horário').fill('16:00');
  await dialog.getByRole('radio', { name: 'Manter ingressos e avisar' }).check();
  await dialog.getByLabel('Motivo da remarcação (enviado aos compradores)').fill('Ajuste da grade.');
  await checkA11y(page, 'admin showtime panel, reschedule form');
  await dialog.getByRole('button', { name: 'Remarcar sessão' }).click();
  await page.getByTestId('reschedule-result').waitFor();
  assert.match(await page.getByTestId('reschedule-result').innerText(), /remarcada para .*16:00: 0 pedidos afetados, 0 reembolsados, 0 compradores avisados\./);
  await page.locator(`[data-room="${room.id}"] button.block[data-showtime="${showtime.id}"]`, { hasText: '16:00–' }).waitFor();
  const after = await fetch(`${server.url}/api/showtimes/${showtime.id}`).then((r) => r.json());
  assert.equal(spTime(after.startsAt), '16:00');
  await shot(page, 'admin-10-rescheduled');
  await checkA11y(page, 'admin schedule after rescheduling');
});
