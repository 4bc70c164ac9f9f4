// The buyer's journey in real headless Chromium against the real local
// server: home → movie → showtime → seats picked by keyboard → Reservar →
// login with the development issuer → back with the seats kept → Reservar →
// the hold (201): its countdown on the next steps, kept across a reload, the
// map showing the seats as yours → Liberar assentos → a free map. Also: a seat
// taken by someone else in between, the hold running out, and axe-core on
// every screen (no serious or critical violations).
//
// Nothing here depends on the day or the hour of the run: showtimes are picked
// from what the server has on sale from its own clock, prices come from
// listTicketTypes, and each page's clock follows the server's (expectations.mjs).
//
// Run with `make test-e2e` (builds the SPA and bin/local first); with
// E2E_CLOCK=<RFC 3339 instant> the server starts its clock there.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { addDays, assertTokensOutliveServerNow, brl, followServerClock, meiaOf, plain, serverNow, showtimePicker, spDate, spDayMonth, spTime } from './expectations.mjs';
import { launchChromium, startLocalServer } from './local-server.mjs';

const shots = resolve(import.meta.dirname, '..', '..', process.env.SCREENSHOT_DIR ?? 'frontend/test-results/screenshots');
mkdirSync(shots, { recursive: true });

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');


let server;
let browser;
let showtimes;

before(async () => {
  server = await startLocalServer();
  await assertTokensOutliveServerNow(server.url);
  browser = await launchChromium(chromium);
  showtimes = showtimePicker(server.url);
  // The door's test needs a showtime of today or tomorrow. Late in the São Paulo evening only
  // tomorrow's are left, and the tests before it, each taking the soonest, would use them up:
  // it takes its own first, whatever the hour.
  const today = spDate(await serverNow(server.url));
  const doorDays = { [today]: 'Hoje', [addDays(today, 1)]: 'Amanhã' };
  doorShowtime = await showtimes.next(MOVIE, (st) => freeRowPair(st) !== undefined && doorDays[spDate(st.startsAt)] !== undefined);
});

/** The check-in test's showtime (today or tomorrow), taken before any other test runs. */
let doorShowtime;

/** The movie most tests buy for. */
const MOVIE = 'mov-linha-de-fogo';

/** A showtime of MOVIE on sale, with a free row to buy in (not every room has one), that no other test uses. */
async function showtimeOnSale() {
  return (await showtimes.next(MOVIE, (st) => freeRowPair(st) !== undefined)).id;
}

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

/** A development issuer token for a seeded user (ana, bruno, carla), for calls made outside the page. */
async function tokenFor(username) {
  const res = await fetch(`${server.url}/auth/token`, { method: 'POST', body: new URLSearchParams({ username }) });
  return (await res.json()).id_token;
}

/** createHold through the API, as another buyer would. */
async function holdAs(username, showtimeId, seats) {
  const res = await fetch(`${server.url}/api/holds`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await tokenFor(username)}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ showtimeId, seats: seats.map((seatId) => ({ seatId, ticketType: 'INTEIRA' })) }),
  });
  assert.equal(res.status, 201, `${username} holds ${seats}: ${await res.clone().text()}`);
  return res.json();
}

async function seatStatus(showtimeId, seatId) {
  const st = await fetch(`${server.url}/api/showtimes/${showtimeId}`).then((r) => r.json());
  return st.seatMap.seats.find((s) => s.id === seatId).status;
}

/** Signs in through the SPA and the development issuer's account picker. */
async function signIn(page, name) {
  await page.goto(server.url + '/entrar');
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await page.waitForURL(/\/auth\/authorize/);
  await page.getByRole('button', { name: new RegExp(name) }).click();
  await page.getByTestId('user-name').waitFor();
}

/** Fails on any serious or critical axe-core violation on the page as it is now. */
async function checkA11y(page, screen) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  assert.deepEqual(bad, [], `axe-core on ${screen}`);
  a11yChecked.add(screen);
}
const a11yChecked = new Set();

/**
 * GET an API path (and query) as a seeded user. The SPA reads response bodies as a stream, and Chromium does not
 * always keep such a body for the test (response.json() then fails): the test asks the API the same question.
 */
async function getAs(username, pathAndQuery) {
  const res = await fetch(`${server.url}${pathAndQuery}`, { headers: { Authorization: `Bearer ${await tokenFor(username)}` } });
  assert.equal(res.status, 200, `GET ${pathAndQuery} as ${username}: ${await res.clone().text()}`);
  return res.json();
}

/**
 * The confirmation e-mail of an order, from Mailpit's API, once the server's stream reader has sent it (it polls
 * the stream every second): its headers name the order.
 */
async function confirmationMail(orderId) {
  for (let i = 0; i < 60; i++) {
    const list = await fetch(`${server.mail}/api/v1/messages`).then((r) => r.json());
    for (const m of list.messages ?? []) {
      const headers = await fetch(`${server.mail}/api/v1/message/${m.ID}/headers`).then((r) => r.json());
      if ((headers['X-Bilhetagem-Notice'] ?? []).includes(`ORDER_CONFIRMED.${orderId}`)) {
        return fetch(`${server.mail}/api/v1/message/${m.ID}`).then((r) => r.json());
      }
    }
    await new Promise((ok) => setTimeout(ok, 500));
  }
  assert.fail(`no confirmation e-mail for ${orderId} in Mailpit`);
}

async function shot(page, name) {
  await page.screenshot({ path: resolve(shots, `${name}.png`), fullPage: false });
}

test('a buyer browses, picks seats by keyboard, signs in, holds them, keeps the hold across a reload and releases it', async (t) => {
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
  await checkA11y(page, 'home');

  // Movie page: synopsis, rating badge, trailer, showtimes by cinema and version.
  const pageOpened = await serverNow(server.url);
  await page.getByRole('link', { name: /Linha de Fogo/ }).first().click();
  await page.getByRole('heading', { level: 1, name: 'Linha de Fogo' }).waitFor();
  await page.getByRole('heading', { name: 'Sinopse' }).waitFor();
  await page.getByRole('img', { name: 'Não recomendado para menores de 16 anos' }).waitFor();
  assert.equal(await page.getByRole('link', { name: /Ver trailer/ }).getAttribute('target'), '_blank');
  // The first showtime on sale from the server's now: its day on the date strip, then its start.
  const showtime = await showtimes.next(MOVIE, (st) => freeRowPair(st) !== undefined && keyboardPair(st) !== undefined);
  const keyboard = keyboardPair(showtime);
  const now = await serverNow(server.url);
  t.diagnostic(`server now ${now.toISOString()}; showtime ${showtime.id} at ${showtime.startsAt}`);
  const strip = page.getByRole('group', { name: 'Dia da sessão' });
  // The page's "Hoje" is the server's today (the page's clock follows the server's; read around midnight, either day).
  assert.ok([spDayMonth(pageOpened), spDayMonth(now)].includes(await strip.locator('button[aria-pressed="true"] .date').innerText()),
    'the date strip starts on the server\'s today');
  await strip.locator('button', { has: page.locator('.date', { hasText: new RegExp(`^${spDayMonth(showtime.startsAt)}$`) }) }).click();
  await page.locator('.version').first().waitFor();
  assert.match(await page.locator('.version').first().innerText(), /^(2D|3D|IMAX) · (Dublado|Legendado|Nacional)$/);
  const chip = page.locator(`app-showtime-chips a[href="/sessoes/${showtime.id}/assentos"]`);
  assert.equal(await chip.innerText(), spTime(showtime.startsAt), 'the chip shows the São Paulo start time');
  await shot(page, '02-movie');
  await checkA11y(page, 'movie');
  await chip.click();

  // Seat selection: the live map; pick two seats with the keyboard only.
  await page.getByRole('group', { name: /Mapa de assentos/ }).waitFor();
  await page.getByTestId('meia-remaining').waitFor();
  assert.match(await page.getByTestId('meia-remaining').innerText(), /Meia-entrada: restam \d+ nesta sessão/);
  // The room is wider than the phone: it opens at its middle, both edges fade under an arrow, and a hint says it
  // scrolls, until the buyer first moves it (here the keyboard focus does).
  const scroller = page.locator('app-seat-map .scroller');
  assert.ok(await scroller.evaluate((e) => e.scrollWidth > e.clientWidth + 40), 'the room is wider than a 390 px screen');
  await page.locator('app-seat-map .viewport.more-left.more-right').waitFor();
  const hint = page.getByTestId('scroll-hint');
  assert.match(await hint.innerText(), /^‹ ›\s+Arraste para ver a sala toda$/);
  assert.ok(await hint.isVisible());
  await checkA11y(page, 'seats (map wider than the screen)');
  // Down to row D, Home, then right to the first of two free seats that leave no seat alone (from the room's map).
  const first = page.locator('.seat[tabindex="0"]');
  assert.equal(await first.count(), 1, 'the map is one tab stop');
  await first.focus();
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
  assert.match(await focused(), /^Fileira A, /);
  for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'Home', ...Array(keyboard.rights).fill('ArrowRight')]) {
    await page.keyboard.press(key);
  }
  const firstLabel = await focused();
  assert.match(firstLabel, /^Fileira D, assento \d+, padrão, livre$/);
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-seat')), keyboard.seats[0]);
  // The focus moved the map sideways: the hint went, and the focused seat is in sight, clear of the edge fades.
  await hint.waitFor({ state: 'detached' });
  assert.ok(await page.evaluate(() => {
    const seat = document.activeElement.getBoundingClientRect();
    const box = document.querySelector('app-seat-map .scroller').getBoundingClientRect();
    return seat.left >= box.left + 16 && seat.right <= box.right - 16;
  }), 'the focused seat is scrolled into view');
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  // Zoneless Angular renders on the next frame: wait for it rather than read at once.
  await page.waitForFunction(() => document.querySelectorAll('.seat[aria-pressed="true"]').length === 2);
  const picked = page.locator('.seat[aria-pressed="true"]');
  const ids = await picked.evaluateAll((els) => els.map((e) => e.getAttribute('data-seat')));
  assert.deepEqual(ids, keyboard.seats, 'the two seats reached by keyboard');
  assert.ok(ids.every((id) => /^D\d+$/.test(id)), `seats in row D: ${ids}`);
  await page.getByRole('heading', { name: 'Seus assentos' }).waitFor();
  await page.getByLabel(`Tipo de ingresso do assento ${ids[1]}`).selectOption('MEIA_ESTUDANTE');
  await page.getByText('2 assentos').waitFor();
  const showtimeId = new URL(page.url()).pathname.split('/')[2];
  assert.equal(showtimeId, showtime.id);

  // Prices per ticket type from listTicketTypes; meia-entrada is half of the regular inteira, rounded up,
  // promotional day or not; a meia says what to show at the door.
  const types = await fetch(`${server.url}/api/showtimes/${showtimeId}/ticket-types`).then((r) => r.json());
  const price = (code) => types.items.find((x) => x.code === code).price.amount;
  t.diagnostic(`promo ${types.promo}, regular ${brl(types.regularPrice.amount)}, inteira ${brl(price('INTEIRA'))}`);
  assert.equal(typeof types.promo, 'boolean');
  assert.equal(price('MEIA_ESTUDANTE'), meiaOf(types.regularPrice.amount), 'meia is half of the regular price');
  if (!types.promo) assert.equal(price('INTEIRA'), types.regularPrice.amount, 'on a regular day the inteira is the regular price');
  const prices = page.getByTestId('prices');
  await prices.waitFor();
  const shown = await prices.locator('li').evaluateAll((lis) =>
    lis.map((li) => [li.querySelector('.price-label').textContent.trim(), li.querySelector('.price').textContent]));
  assert.deepEqual(shown.slice(0, types.items.length).map(([label, amount]) => [label, plain(amount)]),
    types.items.map((x) => [x.label, plain(brl(x.price.amount))]), 'each ticket type with its price');
  assert.deepEqual(shown.find(([label]) => label === 'Meia-entrada estudante')?.map(plain),
    ['Meia-entrada estudante', plain(brl(meiaOf(types.regularPrice.amount)))]);
  assert.match(await prices.innerText(), /Apresente na entrada: Carteira de Identificação Estudantil/);
  await page.getByText(/^Na entrada: Carteira de Identificação Estudantil/).waitFor();
  // The total before Reservar: the tickets plus the convenience fee per ticket that the order will add.
  const fee = types.convenienceFee.amount;
  assert.equal(types.convenienceFee.currency, 'BRL');
  const estimated = brl(price('INTEIRA') + price('MEIA_ESTUDANTE') + 2 * fee);
  await page.locator('.bar .total').getByText(estimated).waitFor();
  const estimate = page.getByTestId('estimate');
  assert.deepEqual((await estimate.locator('.line').evaluateAll((ls) => ls.map((l) => [l.querySelector('dt').textContent, l.querySelector('dd').textContent])))
    .map(([dt, dd]) => [plain(dt), plain(dd)]),
  [['Ingressos 2 ingressos', plain(brl(price('INTEIRA') + price('MEIA_ESTUDANTE')))],
    [`Taxa de conveniência 2 × ${plain(brl(fee))}`, plain(brl(2 * fee))], ['Total', plain(estimated)]]);
  await shot(page, '03-seats');
  await checkA11y(page, 'seats');

  // Reservar without a session goes to login and comes back with the seats kept.
  await page.getByRole('button', { name: 'Reservar' }).click();
  await page.getByRole('heading', { name: 'Entrar' }).waitFor();
  assert.match(page.url(), /\/entrar\?voltar=/);
  await shot(page, '04-login');
  await checkA11y(page, 'login');
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await page.waitForURL(/\/auth\/authorize/);
  await page.getByRole('button', { name: /Ana Souza/ }).click();
  await page.waitForURL(/\/sessoes\/.+\/assentos$/);
  await page.getByTestId('user-name').waitFor();
  assert.equal(await page.getByTestId('user-name').innerText(), 'Olá, Ana');
  await page.waitForFunction(() => document.querySelectorAll('.seat[aria-pressed="true"]').length === 2);
  assert.deepEqual(await page.locator('.seat[aria-pressed="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-seat'))), ids);
  assert.equal(await page.getByLabel(`Tipo de ingresso do assento ${ids[1]}`).inputValue(), 'MEIA_ESTUDANTE');

  // Reservar signed in: createHold answers 201 and the next step (bomboniere) shows the countdown,
  // the server's total and the ranked suggestions listHoldRecommendations answers.
  const created = page.waitForResponse((r) => r.url().endsWith('/api/holds') && r.request().method() === 'POST');
  const recommended = page.waitForResponse((r) => r.url().includes('/recommendations'));
  await page.getByRole('button', { name: 'Reservar' }).click();
  const createdResponse = await created;
  assert.equal(createdResponse.status(), 201);
  // The SPA moves on at once, so the body may be gone by now: the hold's id
  // comes from the Location header, its total from the page below.
  const location = createdResponse.headers()['location'];
  assert.match(location, /^\/api\/holds\/h-[a-z0-9]+$/);
  const hold = { id: location.split('/').pop() };
  await page.waitForURL(/\/compra\/bomboniere$/);
  await page.getByRole('heading', { level: 1, name: 'Bomboniere' }).waitFor();
  assert.equal(await page.locator('[aria-current="step"]').innerText(), '2\nBomboniere');
  const timer = page.getByRole('timer');
  await timer.waitFor();
  assert.match(await timer.innerText(), /^(10|0\d):\d{2}$/);
  const total = brl(price('INTEIRA') + price('MEIA_ESTUDANTE'));
  await page.locator('app-hold-summary .total').getByText(total).waitFor();
  for (const id of ids) await page.locator('app-hold-summary').getByText(`Assento ${id}`).waitFor();
  const recs = await recommended;
  assert.equal(recs.status(), 200, 'listHoldRecommendations');
  const asked = new URL(recs.url());
  assert.equal(asked.pathname, `/api/holds/${hold.id}/recommendations`);
  const ranked = (await getAs('ana', asked.pathname + asked.search)).items;
  assert.ok(ranked.length > 0, 'something is suggested, if only from the priors of a cold start');
  assert.deepEqual(ranked.map((r) => r.rank), ranked.map((_, i) => i + 1), 'ranked best first');
  const suggestions = page.getByRole('list', { name: 'Sugestões para você' }).getByTestId('suggestion');
  await suggestions.nth(ranked.length - 1).waitFor();
  assert.equal(await suggestions.count(), ranked.length);
  assert.deepEqual((await suggestions.locator('.name').allInnerTexts()).map(plain),
    ranked.map((r) => `${r.quantity > 1 ? `${r.quantity}× ` : ''}${r.name}`), 'the suggestions in their rank order');
  assert.deepEqual((await suggestions.locator('.price').allInnerTexts()).map((x) => plain(x).replace(/ cada$/, '')),
    ranked.map((r) => plain(brl(r.price.amount))));
  assert.equal(await page.getByTestId('recommendations-problem').count(), 0);
  await shot(page, '05-hold-countdown');
  await checkA11y(page, 'hold step (bomboniere)');

  // A reload keeps the hold: its id is in sessionStorage and getHold reads it back.
  const reread = page.waitForResponse((r) => r.url().endsWith(`/api/holds/${hold.id}`) && r.request().method() === 'GET');
  await page.reload();
  assert.equal((await reread).status(), 200);
  await page.getByRole('timer').waitFor();
  await page.locator('app-hold-summary .total').getByText(total).waitFor();

  // Pagamento keeps the countdown and the server's total ("Criar pedido" has its own test below).
  await page.getByRole('link', { name: 'Continuar' }).click();
  await page.getByRole('heading', { level: 1, name: 'Pagamento' }).waitFor();
  await page.getByRole('timer').waitFor();
  await page.locator('app-hold-summary .total').getByText(total).waitFor();
  await page.getByRole('button', { name: 'Criar pedido' }).waitFor();
  await checkA11y(page, 'checkout');

  // Back on the map, the hold's seats show as yours (getShowtime with holdId), under the countdown.
  await page.getByRole('link', { name: 'Voltar' }).click();
  const withHoldId = page.waitForResponse((r) => r.url().includes(`/api/showtimes/${showtimeId}?holdId=${hold.id}`));
  await page.getByRole('link', { name: 'Ver assentos' }).click();
  assert.equal((await withHoldId).status(), 200);
  await page.waitForFunction(() => document.querySelectorAll('button.seat.yours').length === 2);
  assert.deepEqual(await page.locator('button.seat.yours').evaluateAll((els) => els.map((e) => e.getAttribute('data-seat'))), ids);
  assert.match(await page.locator(`[data-seat="${ids[0]}"]`).getAttribute('aria-label'), /reservado por você$/);
  await page.getByRole('timer').waitFor();
  await page.getByRole('heading', { name: 'Seus assentos estão reservados' }).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, '07-seats-held');
  await checkA11y(page, 'seats held');

  // Liberar assentos (DELETE → 204): the same seats are free again, on the page and in the API.
  const released = page.waitForResponse((r) => r.url().endsWith(`/api/holds/${hold.id}`) && r.request().method() === 'DELETE');
  await page.getByRole('button', { name: 'Liberar assentos' }).click();
  assert.equal((await released).status(), 204);
  await page.waitForFunction(
    (seatIds) => seatIds.every((id) => document.querySelector(`[data-seat="${id}"]`)?.getAttribute('aria-label')?.endsWith(', livre')),
    ids,
  );
  assert.equal(await page.locator('button.seat.yours').count(), 0);
  assert.equal(await page.getByRole('timer').count(), 0);
  await page.getByRole('button', { name: 'Reservar' }).waitFor();
  assert.equal(await seatStatus(showtimeId, ids[0]), 'AVAILABLE');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('bilhetagem.hold')), null);
});

test('a seat taken by someone else before Reservar: a pt-BR message, the seat dropped, the map refreshed', async (t) => {
  const page = await phonePage(t);
  await signIn(page, 'Ana Souza');
  const showtimeId = await showtimeOnSale();
  const [mine, theirs] = await twoFreeSeats(showtimeId);
  await page.goto(`${server.url}/sessoes/${showtimeId}/assentos`);
  await page.getByRole('group', { name: /Mapa de assentos/ }).waitFor();
  await page.locator(`[data-seat="${mine}"]`).click();
  await page.locator(`[data-seat="${theirs}"]`).click();
  await page.waitForFunction(() => document.querySelectorAll('.seat[aria-pressed="true"]').length === 2);

  // Bruno holds one of them through the API while Ana is still choosing.
  await holdAs('bruno', showtimeId, [theirs]);

  const refused = page.waitForResponse((r) => r.url().endsWith('/api/holds') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Reservar' }).click();
  assert.equal((await refused).status(), 409);
  const problem = page.getByTestId('hold-problem');
  await problem.waitFor();
  assert.match(await problem.innerText(), new RegExp(`Assento indisponível\\s+O assento ${theirs} acabou de ser reservado por outra pessoa`));
  assert.equal(await problem.locator('[data-code]').getAttribute('data-code'), 'seat_taken');
  // The taken seat left the picks and the refreshed map shows it taken; the other one is kept.
  await page.waitForFunction(
    (id) => document.querySelector(`[data-seat="${id}"]`)?.getAttribute('aria-label')?.endsWith(', ocupado'),
    theirs,
  );
  assert.deepEqual(await page.locator('.seat[aria-pressed="true"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-seat'))), [mine]);
  assert.deepEqual(await page.locator('.picks .seat-id').allInnerTexts(), [mine]);
  assert.equal(await page.getByRole('timer').count(), 0, 'no hold was made');
  await problem.scrollIntoViewIfNeeded();
  await shot(page, '08-seat-taken');
  await checkA11y(page, 'seats with a taken-seat message');
});

test('a choice that would leave a seat alone: warned beside Reservar before the tap; the refusal lands there too, focused', async (t) => {
  const page = await phonePage(t);
  await signIn(page, 'Bruno Lima');
  // A cinema that refuses such a hold (its showtime says gapPolicy BLOCK), a showtime with a free row that starts
  // with four seats side by side, and in it the second seat: it leaves the first one alone against the wall (and the
  // third and fourth together).
  const gapRow = (st) => rowsOf(st).find((seats) => seats.length >= 4 && seats.every(free) && seats[3].x === seats[0].x + 3);
  const showtime = await showtimes.next(MOVIE, (st) => st.gapPolicy === 'BLOCK' && gapRow(st) !== undefined);
  const row = gapRow(showtime);
  await page.goto(`${server.url}/sessoes/${showtime.id}/assentos`);
  await page.getByRole('group', { name: /Mapa de assentos/ }).waitFor();
  await page.locator(`[data-seat="${row[1].id}"]`).click();
  await page.waitForFunction(() => document.querySelectorAll('.seat[aria-pressed="true"]').length === 1);
  // Before the tap: the warning sits in the bar beside Reservar, which it describes, and names the seat.
  const warning = page.locator('.bar').getByTestId('gap-warning');
  await warning.waitFor();
  assert.equal(await warning.innerText(),
    `Essa escolha deixa a poltrona ${row[0].id} isolada, e este cinema não reserva assim. Inclua ${row[0].id} ou escolha outros lugares.`);
  assert.equal(await page.getByRole('button', { name: 'Reservar' }).getAttribute('aria-describedby'), 'gap-warning');
  await warning.evaluate((box) => {
    const r = box.getBoundingClientRect();
    if (r.top < 0 || r.bottom > innerHeight) throw new Error('the warning is out of sight');
  });
  await shot(page, '08a-isolated-seat-warning');
  await checkA11y(page, 'seats with an isolated-seat warning');
  // The server stays the authority: Reservar is still there to tap, and refuses.
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/holds') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Reservar' }).click();
  assert.equal((await refused).status(), 422);
  const problem = page.getByTestId('hold-problem');
  await problem.waitFor();
  assert.equal(await problem.locator('[data-code]').getAttribute('data-code'), 'seat_rule_violated');
  assert.match(await problem.innerText(), new RegExp(`Escolha não permitida\\s+A escolha deixa o assento ${row[0].id} vazio e isolado na fileira\\.`));
  // The refusal has the focus (a screen reader reads it there) and, once the smooth scroll ends, sits just above the
  // fixed bar with Reservar, in full view.
  await page.waitForFunction(() => document.activeElement?.matches('[data-testid="hold-problem"] .notice'));
  await page.waitForFunction(() => {
    const box = document.querySelector('[data-testid="hold-problem"] .notice').getBoundingClientRect();
    const bar = document.querySelector('.bar').getBoundingClientRect();
    return box.top >= 0 && box.bottom <= bar.top && bar.top - box.bottom <= 32;
  });
  assert.equal(await page.getByRole('timer').count(), 0, 'no hold was made');
  await shot(page, '08b-isolated-seat');
  await checkA11y(page, 'seats with an isolated-seat refusal');
});

test('when the hold runs out the buyer is back on the seat map with a pt-BR notice and the seats are free', async (t) => {
  const page = await phonePage(t);
  // The page's clock only: the hold lasts 10 minutes on the server, the test jumps the countdown past it.
  await signIn(page, 'Bruno Lima');
  const showtimeId = await showtimeOnSale();
  const [seat] = await twoFreeSeats(showtimeId);
  await page.goto(`${server.url}/sessoes/${showtimeId}/assentos`);
  await page.locator(`[data-seat="${seat}"]`).click();
  await page.getByRole('button', { name: 'Reservar' }).click();
  await page.waitForURL(/\/compra\/bomboniere$/);
  await page.getByRole('timer').waitFor();

  const released = page.waitForResponse((r) => /\/api\/holds\/h-/.test(r.url()) && r.request().method() === 'DELETE');
  await page.clock.fastForward('10:01');
  await page.waitForURL(new RegExp(`/sessoes/${showtimeId}/assentos$`));
  const notice = page.getByTestId('hold-notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /Sua reserva expirou[\s\S]*Escolha de novo/);
  assert.equal((await released).status(), 204);
  await page.waitForFunction(
    (id) => document.querySelector(`[data-seat="${id}"]`)?.getAttribute('aria-label')?.endsWith(', livre'),
    seat,
  );
  assert.equal(await page.getByRole('timer').count(), 0);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('bilhetagem.hold')), null);
  await shot(page, '09-hold-expired');
  await checkA11y(page, 'seats after the hold expired');
});

/** Signs in, holds `seats` of `showtimeId` (the second as meia estudante), runs `atBomboniere` and opens Pagamento. */
async function holdAndOpenCheckout(page, name, showtimeId, seats, atBomboniere) {
  await signIn(page, name);
  await page.goto(`${server.url}/sessoes/${showtimeId}/assentos`);
  await page.getByRole('group', { name: /Mapa de assentos/ }).waitFor();
  for (const id of seats) await page.locator(`[data-seat="${id}"]`).click();
  await page.waitForFunction((n) => document.querySelectorAll('.seat[aria-pressed="true"]').length === n, seats.length);
  if (seats.length > 1) await page.getByLabel(`Tipo de ingresso do assento ${seats[1]}`).selectOption('MEIA_ESTUDANTE');
  await page.getByRole('button', { name: 'Reservar' }).click();
  await page.waitForURL(/\/compra\/bomboniere$/);
  if (atBomboniere) await atBomboniere();
  await page.getByRole('link', { name: 'Continuar' }).click();
  await page.getByRole('heading', { level: 1, name: 'Pagamento' }).waitFor();
}

/** Waits until an input shows value (the page updates it asynchronously), or fails naming the last value. */
async function valueBecomes(input, value) {
  let last = '';
  for (let i = 0; i < 100; i++) {
    last = await input.inputValue();
    if (last === value) return;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  assert.equal(last, value);
}

/**
 * At the bomboniere: a Combo Casal with Guaraná as its second soda and two
 * Águas Minerais from the menu; the running total is the menu's prices.
 */
async function chooseConcessions(page) {
  const menu = await fetch(`${server.url}/api/concessions`).then((r) => r.json());
  const price = (id) => menu.items.find((p) => p.id === id).sizes[0].price.amount;
  await page.getByRole('heading', { level: 2, name: 'Sugestões para você' }).waitFor();
  await page.getByRole('heading', { level: 3, name: 'Combos' }).waitFor();
  const combo = page.locator('app-product-card', { has: page.getByRole('heading', { name: 'Combo Casal' }) });
  await combo.getByLabel('Refrigerante 2').selectOption('Guaraná');
  await combo.getByRole('button', { name: 'Adicionar Combo Casal' }).click();
  const water = page.locator('app-product-card', { has: page.getByRole('heading', { name: 'Água Mineral' }) });
  await water.getByRole('button', { name: 'Adicionar Água Mineral' }).click();
  await page.getByRole('button', { name: 'Aumentar a quantidade de Água Mineral' }).click();
  const lines = page.getByTestId('cart-line');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="cart-line"]').length === 2);
  assert.match(await lines.nth(0).innerText(), /Combo Casal/);
  assert.equal(await lines.nth(0).getByLabel('Refrigerante 2 de Combo Casal').inputValue(), 'Guaraná');
  // The second tap on "Aumentar" may land after both lines show: wait for its quantity, not the first read.
  await valueBecomes(page.getByLabel('Quantidade de Água Mineral', { exact: true }), '2');
  const expected = price('prd-combo-casal') + 2 * price('prd-agua');
  await page.getByTestId('cart-total').getByText(brl(expected)).waitFor();
  await page.getByTestId('cart-announcement').getByText(/Água Mineral: 2 unidades/).waitFor();
  await page.getByTestId('cart').scrollIntoViewIfNeeded();
  await shot(page, '17-bomboniere-cart');
  await checkA11y(page, 'bomboniere with items');
  return expected;
}

/** Criar pedido (201) and the order line it shows. */
async function createOrder(page) {
  const ordered = page.waitForResponse((r) => r.url().endsWith('/api/orders') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Criar pedido' }).click();
  const res = await ordered;
  assert.equal(res.status(), 201, 'createOrder');
  assert.ok(res.request().headers()['idempotency-key'], 'createOrder sends an Idempotency-Key');
  const created = page.getByTestId('order-created');
  await created.waitFor();
  assert.match(await created.innerText(), /^Pedido criado, aguardando pagamento: total R\$\s[\d.,]+ \(ingressos .*\)\.$/);
}

test('Criar pedido, an approved test card, the confirmation with QR tickets, Meus pedidos and a cancellation', async (t) => {
  const page = await phonePage(t);
  const showtimeId = await showtimeOnSale();
  const seats = await twoFreeSeats(showtimeId);
  let concessions = 0;
  await holdAndOpenCheckout(page, 'Carla Mendes', showtimeId, seats, async () => {
    concessions = await chooseConcessions(page);
  });
  // Pagamento lists the chosen items before the order; createOrder sends them and the server prices them.
  await page.getByTestId('cart-summary').getByText('1× Combo Casal').waitFor();
  const ordered = page.waitForResponse((r) => r.url().endsWith('/api/orders') && r.request().method() === 'POST');
  await createOrder(page);
  const location = (await ordered).headers()['location'];
  assert.match(location ?? '', /^\/api\/orders\/ord-[a-z0-9]+$/, 'createOrder answers the order\'s Location');
  const order = await getAs('carla', location);
  assert.deepEqual(JSON.parse((await ordered).request().postData()).concessions, [
    { productId: 'prd-combo-casal', size: 'UN', quantity: 1, flavours: ['Cola', 'Guaraná'] },
    { productId: 'prd-agua', size: 'UN', quantity: 2, flavours: ['Sem gás'] },
  ]);
  assert.equal(order.totals.concessions.amount, concessions, 'the server priced the bomboniere as the menu says');
  assert.match(await page.getByTestId('order-created').innerText(), /\+ bomboniere R\$/);
  const brlTotal = brl(order.totals.total.amount);
  await page.getByTestId('order-summary').locator('.total').getByText(brlTotal).waitFor();
  await page.getByRole('timer').waitFor();

  // Cartão: the simulated test environment says so and lists the test numbers.
  assert.match(await page.getByTestId('sim-notice').innerText(), /Ambiente de teste simulado/);
  await page.getByText('4111111111111111').waitFor();
  await page.getByText('4000000000000002').waitFor();
  await page.getByLabel('Número do cartão').fill('4111 1111 1111 1111');
  await shot(page, '06-checkout');
  await checkA11y(page, 'checkout after Criar pedido');

  const paid = page.waitForResponse((r) => /\/api\/orders\/[^/]+\/payments$/.test(r.url()) && r.request().method() === 'POST');
  await page.getByRole('button', { name: /^Pagar R\$/ }).click();
  const payRes = await paid;
  assert.equal(payRes.status(), 201);
  assert.deepEqual(JSON.parse(payRes.request().postData()), { method: 'CARD', card: { token: 'sim_4111111111111111', installments: 1 } });

  // Confirmação: the order, the pickup code, one QR per seat, the meia's proof. The order names its payment and
  // cinema, so the address is all the page needs.
  await page.waitForURL(/\/compra\/confirmacao\/ord-[a-z0-9]+$/);
  const orderId = new URL(page.url()).pathname.split('/').pop();
  assert.equal(orderId, order.id);
  await page.getByRole('heading', { level: 1, name: 'Compra confirmada!' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="ticket"] img[data-payload^="BLT1."]').length === 2);
  const pickupCode = await page.getByTestId('pickup-code').innerText();
  assert.match(pickupCode, /^[A-Z0-9]{6}$/);
  for (const id of seats) await page.getByRole('img', { name: `QR code do ingresso do assento ${id}` }).waitFor();
  // The order number, how it was paid, and the cinema with its address and a map link.
  assert.equal(await page.getByTestId('order-number').innerText(), orderId);
  await page.getByTestId('payment-method').getByText(/^Cartão \S+ final 1111$/).waitFor();
  const cinema = (await fetch(`${server.url}/api/cinemas`).then((r) => r.json())).items.find((c) => c.id === order.showtime.cinemaId);
  assert.equal(cinema.name, order.showtime.cinemaName);
  const cinemaCard = page.getByTestId('cinema');
  await cinemaCard.waitFor();
  assert.match(plain(await cinemaCard.innerText()), new RegExp(`^Cinema ${cinema.name} ${escapeRegExp(cinema.address)}, São Paulo - SP Ver no mapa`));
  assert.equal(await cinemaCard.getByRole('link', { name: 'Ver no mapa (abre em nova aba)' }).getAttribute('href'),
    `https://www.google.com/maps/search/?api=1&query=${cinema.location.latitude},${cinema.location.longitude}`);
  // Each ticket saves as a PNG (sharing shows only where the browser has the Web Share API).
  const canShare = await page.evaluate(() => typeof navigator.share === 'function');
  assert.equal(await page.getByRole('button', { name: /^Compartilhar o ingresso/ }).count(), canShare ? 2 : 0);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: `Baixar o ingresso do assento ${seats[0]}` }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), `ingresso-linha-de-fogo-${seats[0]}.png`);
  await file.saveAs(resolve(shots, '11b-ticket-download.png'));
  const png = readFileSync(resolve(shots, '11b-ticket-download.png'));
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
  assert.ok(png.length > 5_000, `an image with the QR code (${png.length} bytes)`);
  await page.getByTestId('ticket-file-status').getByText(`Ingresso do assento ${seats[0]} salvo como ingresso-linha-de-fogo-${seats[0]}.png.`).waitFor();
  assert.match(await page.getByTestId('proof').innerText(), /Meia-entrada: apresente na entrada Carteira de Identificação Estudantil/);
  // The bomboniere items are on the confirmation beside the pickup code.
  const summary = page.locator('app-order-summary');
  await summary.getByText('1× Combo Casal').waitFor();
  await summary.getByText('Cola · Guaraná', { exact: true }).waitFor();
  await summary.getByText('2× Água Mineral').waitFor();
  assert.equal(await page.getByRole('timer').count(), 0, 'no countdown once paid');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('bilhetagem.hold')), null);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, '11-confirmation');
  await checkA11y(page, 'confirmation');
  assert.equal(await seatStatus(showtimeId, seats[0]), 'SOLD');

  // The confirmation e-mail, read through Mailpit's API: the local server follows the table's stream into it, as
  // the mailer Lambda does into SES. One QR code per ticket and the pickup code's, the code also as text.
  const mail = await confirmationMail(orderId);
  assert.equal(mail.Inline.filter((p) => p.ContentType === 'image/png').length, seats.length + 1, 'a QR per ticket and the pickup');
  assert.match(mail.Subject, /^Seus ingressos para /);
  assert.ok(mail.Text.includes(pickupCode) && mail.HTML.includes(pickupCode), 'the pickup code is in both parts');
  assert.match(mail.HTML, /<html lang="pt-BR"/);

  // Meus pedidos: the order, PAID, cancellable after a confirm dialog.
  await page.getByRole('link', { name: 'Ver meus pedidos' }).click();
  await page.waitForURL(/\/conta\/pedidos$/);
  const card = page.locator(`[data-order="${orderId}"]`);
  await card.waitFor();
  assert.equal(await card.getByTestId('order-status').innerText(), 'Pago');
  // The bomboniere items with the pickup code the confirmation showed.
  assert.equal(await card.getByTestId('order-pickup').innerText(), `Código de retirada na bomboniere: ${pickupCode}`);
  assert.deepEqual((await card.getByTestId('order-concessions').locator('li').allInnerTexts()).map(plain),
    ['1× Combo Casal (Cola · Guaraná)', '2× Água Mineral (Sem gás)']);
  await shot(page, '12-my-orders');
  await checkA11y(page, 'my orders');
  // Its confirmation again from here: how it was paid comes from the order itself.
  await card.getByRole('link', { name: 'Ver ingressos' }).click();
  await page.waitForURL(new RegExp(`/compra/confirmacao/${orderId}$`));
  await page.getByTestId('payment-method').getByText(/^Cartão \S+ final 1111$/).waitFor();
  await page.getByTestId('cinema').waitFor();
  await page.goBack();
  await card.waitFor();
  await card.getByRole('button', { name: 'Cancelar pedido' }).click();
  const dialog = page.getByRole('dialog', { name: 'Cancelar este pedido?' });
  await dialog.waitFor();
  await shot(page, '13-cancel-dialog');
  await checkA11y(page, 'cancel dialog');
  const cancelled = page.waitForResponse((r) => r.url().endsWith(`/api/orders/${orderId}/cancel`));
  await dialog.getByRole('button', { name: 'Sim, cancelar' }).click();
  assert.equal((await cancelled).status(), 200);
  await page.waitForFunction(
    (id) => /^Cancelado/.test(document.querySelector(`[data-order="${id}"] [data-testid="order-status"]`)?.textContent?.trim() ?? ''),
    orderId,
  );
  assert.match(await card.getByTestId('refund').innerText(), /^Reembolso de R\$\s[\d.,]+ (concluído|solicitado ao meio de pagamento)\.$/);
  assert.equal(await card.getByRole('button', { name: 'Cancelar pedido' }).count(), 0);
  await shot(page, '14-order-cancelled');
  await checkA11y(page, 'my orders after a cancellation');
  assert.equal(await seatStatus(showtimeId, seats[0]), 'AVAILABLE');
});

test('a declined test card: a pt-BR message on the seat map and the seats free again', async (t) => {
  const page = await phonePage(t);
  const showtimeId = await showtimeOnSale();
  const seats = await twoFreeSeats(showtimeId);
  await holdAndOpenCheckout(page, 'Bruno Lima', showtimeId, [seats[0]]);
  await createOrder(page);
  await page.getByRole('button', { name: 'Usar o cartão recusado' }).click();
  // Zoneless Angular fills the field on the next frame.
  await page.waitForFunction(() => document.querySelector('#card-number')?.value === '4000000000000002');
  const paid = page.waitForResponse((r) => /\/api\/orders\/[^/]+\/payments$/.test(r.url()) && r.request().method() === 'POST');
  await page.getByRole('button', { name: /^Pagar R\$/ }).click();
  assert.equal((await paid).status(), 201);
  await page.waitForURL(new RegExp(`/sessoes/${showtimeId}/assentos$`));
  const notice = page.getByTestId('hold-notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /Pagamento recusado[\s\S]*assentos foram liberados/);
  await page.waitForFunction(
    (id) => document.querySelector(`[data-seat="${id}"]`)?.getAttribute('aria-label')?.endsWith(', livre'),
    seats[0],
  );
  assert.equal(await page.getByRole('timer').count(), 0);
  await shot(page, '15-card-declined');
  await checkA11y(page, 'seats after a declined card');
});

test('Pix: the QR code and copia-e-cola, then the confirmation once the simulated PSP pays it', async (t) => {
  const page = await phonePage(t);
  const showtimeId = await showtimeOnSale();
  const seats = await twoFreeSeats(showtimeId);
  await holdAndOpenCheckout(page, 'Ana Souza', showtimeId, [seats[0]]);
  const orderPosts = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/orders') && r.method() === 'POST') orderPosts.push(r);
  });
  await createOrder(page);
  const createdText = await page.getByTestId('order-created').innerText();

  // A reload of Pagamento keeps the order: getHold says ORDERED, getOrder reads it back; nothing is created again.
  const reread = page.waitForResponse((r) => /\/api\/orders\/ord-[a-z0-9]+$/.test(r.url()) && r.request().method() === 'GET');
  await page.reload();
  assert.equal((await reread).status(), 200);
  await page.getByTestId('order-created').waitFor();
  assert.equal(await page.getByTestId('order-created').innerText(), createdText);
  await page.getByRole('timer').waitFor();
  assert.equal(orderPosts.length, 1, 'createOrder ran once');

  // Meus pedidos: the order waits for payment, says until when, offers no cancellation (the API cancels paid orders
  // only), and "Continuar pagamento" goes back to Pagamento with the same order.
  await page.getByRole('link', { name: 'Meus pedidos' }).click();
  await page.getByRole('heading', { name: 'Meus pedidos' }).waitFor();
  const orderId = (await getAs('ana', `/api/holds/${await page.evaluate(() => JSON.parse(sessionStorage.getItem('bilhetagem.hold')).id)}`)).orderId;
  const pending = page.locator(`[data-order="${orderId}"]`);
  await pending.waitFor();
  assert.equal(await pending.getByTestId('order-status').innerText(), 'Aguardando pagamento');
  const { expiresAt } = await getAs('ana', `/api/orders/${orderId}`);
  assert.match(await pending.getByTestId('pay-by').innerText(), new RegExp(`^Pague até ${spTime(expiresAt)}\\. Sem o pagamento, o pedido expira sozinho`));
  assert.equal(await pending.getByRole('button', { name: 'Cancelar pedido' }).count(), 0);
  await shot(page, '12b-my-orders-pending');
  await checkA11y(page, 'my orders with an order waiting for payment');
  await pending.getByRole('button', { name: 'Continuar pagamento' }).click();
  await page.waitForURL(/\/compra\/pagamento$/);
  await page.getByTestId('order-created').waitFor();
  assert.equal(await page.getByTestId('order-created').innerText(), createdText);
  assert.equal(orderPosts.length, 1, 'still one order');

  // Another device of Ana's waits on Meus pedidos with the same order, from before the Pix exists.
  const other = await phonePage(t);
  await signIn(other, 'Ana Souza');
  await other.goto(`${server.url}/conta/pedidos`);
  const otherCard = other.locator(`[data-order="${orderId}"]`);
  await otherCard.getByRole('button', { name: 'Continuar pagamento' }).waitFor();

  await page.getByRole('radio', { name: 'Pix' }).check();
  await page.getByRole('button', { name: 'Gerar Pix' }).click();
  const pix = page.getByTestId('pix');
  await pix.waitFor();
  await pix.getByRole('img', { name: 'QR code do Pix' }).waitFor();
  // A local run says the Pix is simulated and offers to pay it (the server here also pays it by itself after a
  // few seconds, for the rest of this test).
  await pix.getByTestId('pix-simulator').getByRole('button', { name: 'Pagar com o simulador' }).waitFor();
  const copyPaste = await page.getByLabel('Pix copia e cola').inputValue();
  assert.match(copyPaste, /^0002/);

  // There, "Continuar pagamento" reopens the same Pix (the order names its payment): its QR, not "Gerar Pix". The
  // simulated PSP pays it a few seconds after it was made, so this comes first.
  await otherCard.getByRole('button', { name: 'Continuar pagamento' }).click();
  await other.waitForURL(/\/compra\/pagamento$/);
  await other.getByTestId('pix').getByRole('img', { name: 'QR code do Pix' }).waitFor();
  assert.equal(await other.getByLabel('Pix copia e cola').inputValue(), copyPaste);
  assert.equal(await other.getByRole('button', { name: 'Gerar Pix' }).count(), 0);
  await checkA11y(other, 'pix reopened on another device');
  assert.equal(orderPosts.length, 1, 'still one order');
  await pix.getByRole('button', { name: 'Copiar código' }).waitFor();
  await page.getByRole('timer').waitFor();
  await pix.getByRole('img', { name: 'QR code do Pix' }).scrollIntoViewIfNeeded();
  await shot(page, '16-pix');
  await checkA11y(page, 'pix');
  // The server's simulated PSP pays it after a few seconds; the page polls and moves on.
  await page.waitForURL(/\/compra\/confirmacao\/ord-[a-z0-9]+$/, { timeout: 30_000 });
  await page.getByRole('heading', { level: 1, name: 'Compra confirmada!' }).waitFor();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="ticket"] img').length === 1);
  await page.getByTestId('payment-method').getByText('Pix', { exact: true }).waitFor();
  // The other device polls the same payment and gets there too.
  await other.waitForURL(new RegExp(`/compra/confirmacao/${orderId}$`), { timeout: 30_000 });
  await other.getByTestId('payment-method').getByText('Pix', { exact: true }).waitFor();
  assert.equal(orderPosts.length, 1, 'still one order');
});

test('the code flow with PKCE still signs in where the runtime config asks for it', async (t) => {
  const page = await phonePage(t);
  // A runtime config for an issuer that redeems a public client's code (the local server's -flow code).
  await page.route('**/config.json', (route) => route.fulfill({ contentType: 'application/json', body: JSON.stringify({
    auth: { issuer: `${server.url}/auth`, clientId: 'bilhetagem-local', flow: 'code',
      authorizationEndpoint: '/auth/authorize', tokenEndpoint: '/auth/token' } }) }));
  const authorized = page.waitForRequest((r) => r.url().includes('/auth/authorize'));
  const redeemed = page.waitForResponse((r) => r.url().endsWith('/auth/token') && r.request().method() === 'POST');
  await signIn(page, 'Bruno Lima');
  const q = new URL((await authorized).url()).searchParams;
  assert.equal(q.get('response_type'), 'code');
  assert.equal(q.get('code_challenge_method'), 'S256');
  const token = await redeemed;
  assert.equal(token.status(), 200);
  assert.match(token.request().postData(), /code_verifier=/);
  assert.doesNotMatch(token.request().postData(), /client_secret/);
  assert.equal(await page.getByTestId('user-name').innerText(), 'Olá, Bruno');
});

test('a callback that is not the answer to this tab\'s login is refused and leaves the address bar', async (t) => {
  const page = await phonePage(t);
  const forged = Buffer.from(JSON.stringify({ iss: `${server.url}/auth`, aud: 'bilhetagem-local', exp: 4102444800, nonce: 'n' })).toString('base64url');
  await page.goto(`${server.url}/entrar/retorno#id_token=e30.${forged}.c2ln&state=forged`);
  await page.getByText('Não foi possível entrar').waitFor();
  await page.waitForURL((url) => url.pathname === '/entrar/retorno' && url.hash === '');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('bilhetagem.session')), null);
  await page.getByRole('link', { name: 'Tentar de novo' }).waitFor();
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

  // My orders is behind login and shows every order listMyOrders answers, in the order listed.
  const listed = page.waitForResponse((r) => r.url().includes('/api/me/orders'));
  await page.getByRole('link', { name: 'Meus pedidos' }).click();
  await page.getByRole('heading', { name: 'Meus pedidos' }).waitFor();
  const orders = await listed;
  assert.equal(orders.status(), 200, 'listMyOrders');
  const { items } = await getAs('bruno', new URL(orders.url()).pathname + new URL(orders.url()).search);
  if (items.length === 0) {
    await page.getByText('Você ainda não comprou ingressos.').waitFor();
  } else {
    await page.locator(`[data-order="${items.at(-1).id}"]`).waitFor();
    assert.deepEqual(await page.getByTestId('order').evaluateAll((els) => els.map((e) => e.getAttribute('data-order'))), items.map((o) => o.id));
  }
  assert.match(page.url(), /\/conta\/pedidos$/);
  await checkA11y(page, 'my orders (signed in)');

  // Meus dados, from the header: the export saved as meus-dados-bilhetagem.json, and the delete dialog,
  // which Esc closes with the account kept (deleting it is covered by the unit tests and the API's).
  await page.getByRole('link', { name: 'Meus dados' }).click();
  await page.getByRole('heading', { level: 1, name: 'Meus dados' }).waitFor();
  assert.equal(await page.title(), 'Meus dados — Bilhetagem');
  await checkA11y(page, 'my data');
  const saved = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Baixar meus dados (JSON)' }).click();
  const download = await saved;
  assert.equal(download.suggestedFilename(), 'meus-dados-bilhetagem.json');
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.ok(typeof exported.subject === 'string' && Array.isArray(exported.orders), 'exportMyData as saved');
  await page.getByTestId('export-status').filter({ hasText: 'meus-dados-bilhetagem.json' }).waitFor();
  const deleteButton = page.getByRole('button', { name: 'Excluir minha conta' });
  await deleteButton.click();
  const dialog = page.getByRole('dialog', { name: 'Excluir sua conta?' });
  await dialog.waitFor();
  await checkA11y(page, 'delete account dialog');
  await shot(page, '28-delete-account-dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await deleteButton.evaluate((b) => b === document.activeElement), true, 'focus back on Excluir minha conta');

  await page.getByRole('button', { name: 'Sair' }).click();
  await page.getByRole('link', { name: 'Entrar' }).waitFor();
  assert.equal(await page.getByTestId('user-name').count(), 0);
  // Sair clears the token from the tab: a protected page asks to sign in again.
  assert.equal(await page.evaluate(() => sessionStorage.getItem('bilhetagem.session')), null);
  await page.goto(`${server.url}/conta/pedidos`);
  await page.waitForURL(/\/entrar\?voltar=/);
});

test('the SPA signs in with the issuer of its runtime config, and a token the API refuses (401) sends the buyer to sign in and back to the step with the hold kept', async (t) => {
  // The runtime config names the development issuer here; in AWS it names Google. Same code path.
  // By the ID-token flow, as with Google: no token endpoint, no client secret.
  const config = await fetch(`${server.url}/config.json`).then((r) => r.json());
  assert.deepEqual(config.auth, { issuer: `${server.url}/auth`, clientId: 'bilhetagem-local', flow: 'id_token',
    authorizationEndpoint: '/auth/authorize' });

  const page = await phonePage(t);
  const showtimeId = await showtimeOnSale();
  const [seat] = await twoFreeSeats(showtimeId);
  const seen = [];
  page.on('request', (r) => seen.push({ method: r.method(), url: r.url() }));
  const callbacks = [];
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) callbacks.push(f.url()); });
  await signIn(page, 'Ana Souza');
  const authorize = new URL(seen.find((r) => r.url.includes('/auth/authorize')).url);
  assert.equal(authorize.searchParams.get('response_type'), 'id_token');
  assert.equal(authorize.searchParams.get('response_mode'), 'fragment');
  assert.ok(authorize.searchParams.get('nonce'), 'a nonce is sent');
  assert.ok(authorize.searchParams.get('state'), 'a state is sent');
  assert.equal(authorize.searchParams.get('code_challenge'), null);
  assert.ok(callbacks.some((u) => /\/entrar\/retorno#.*id_token=/.test(u)), `the ID token came back in the fragment: ${callbacks}`);
  assert.ok(!seen.some((r) => r.url.includes('/auth/token')), 'the page never calls a token endpoint');
  // Back where the login started (/entrar without voltar → /), with the token gone from the address bar.
  await page.waitForURL((url) => url.pathname === '/');
  assert.doesNotMatch(page.url(), /id_token|retorno|#/, 'the token does not stay in the address bar');
  // The kept token is the issuer's ID token for this client, with its own expiry.
  const session = await page.evaluate(() => JSON.parse(sessionStorage.getItem('bilhetagem.session')));
  const claims = JSON.parse(Buffer.from(session.token.split('.')[1], 'base64url').toString());
  assert.equal(claims.iss, `${server.url}/auth`);
  assert.equal(claims.aud, 'bilhetagem-local');
  assert.equal(session.expiresAt, claims.exp * 1000);
  assert.ok(claims.nonce, 'the login sent a nonce and the token carries it');

  await page.goto(`${server.url}/sessoes/${showtimeId}/assentos`);
  await page.locator(`[data-seat="${seat}"]`).click();
  const created = page.waitForResponse((r) => r.url().endsWith('/api/holds') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Reservar' }).click();
  const holdId = (await created).headers()['location'].split('/').pop();
  await page.waitForURL(/\/compra\/bomboniere$/);
  await page.getByRole('timer').waitFor();

  // The token stops being accepted (here: its signature no longer verifies, as a token the issuer rotated out).
  await page.evaluate(() => {
    const s = JSON.parse(sessionStorage.getItem('bilhetagem.session'));
    const [h, p, sig] = s.token.split('.');
    sessionStorage.setItem('bilhetagem.session', JSON.stringify({ ...s, token: `${h}.${p}.${[...sig].reverse().join('')}` }));
  });
  await page.reload();
  await page.waitForURL(/\/entrar\?voltar=(%2F|\/)compra(%2F|\/)bomboniere&motivo=sessao$/);
  await page.getByTestId('session-ended').getByText(/Sua sessão expirou/).waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('bilhetagem.session')), null, 'the refused token is gone');
  assert.equal(JSON.parse(await page.evaluate(() => sessionStorage.getItem('bilhetagem.hold'))).id, holdId, 'the hold is kept');
  await shot(page, '21-session-ended');
  await checkA11y(page, 'login after the session ended');

  // Signing in again comes back to the bomboniere with the same hold and its countdown.
  const reread = page.waitForResponse((r) => r.url().endsWith(`/api/holds/${holdId}`) && r.request().method() === 'GET');
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await page.getByRole('button', { name: /Ana Souza/ }).click();
  await page.waitForURL(/\/compra\/bomboniere$/);
  assert.equal((await reread).status(), 200);
  await page.getByRole('timer').waitFor();
  await page.locator('app-hold-summary').getByText(`Assento ${seat}`).waitFor();
  assert.equal(await page.getByTestId('session-banner').count(), 0);
});

/** A whole purchase through the API as `username` (card approved); answers the order's tickets once issued. */
async function buyTicketsAs(username, showtimeId, seats) {
  const token = await tokenFor(username);
  const call = async (method, path, body, headers = {}) => {
    const res = await fetch(`${server.url}/api${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
    return res.json();
  };
  const hold = await call('POST', '/holds', { showtimeId, seats });
  const order = await call('POST', '/orders', { holdId: hold.id }, { 'Idempotency-Key': `e2e-${hold.id}` });
  await call('POST', `/orders/${order.id}/payments`, { method: 'CARD', card: { token: 'sim_4111111111111111', installments: 1 } },
    { 'Idempotency-Key': `e2e-pay-${order.id}` });
  // The purchase completes asynchronously: read the tickets until all are issued.
  for (let i = 0; ; i++) {
    const { items } = await call('GET', '/me/tickets?limit=50');
    const mine = items.filter((t) => t.orderId === order.id);
    if (mine.length === seats.length) return mine;
    assert.ok(i < 100, 'the tickets were issued');
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('staff check in a ticket at the door: valid with the meia flag, then already used, and a forged code; buyers do not see it', async (t) => {
  // The door lists yesterday's, today's and tomorrow's showtimes of its cinema: the showtime is
  // one on sale (at least 3 h after the server's now) that starts today or tomorrow, taken in
  // before() so the earlier tests cannot use them all up late in the evening.
  const showtime = doorShowtime;
  const showtimeId = showtime.id;
  // The door's label of its day, from the server's now when the door opens (a run may cross midnight).
  const today = spDate(await serverNow(server.url));
  const day = { [today]: 'Hoje', [addDays(today, 1)]: 'Amanhã' }[spDate(showtime.startsAt)];
  assert.ok(day, `the door lists showtime ${showtimeId} of ${spDate(showtime.startsAt)} on ${today}`);
  const seats = await twoFreeSeats(showtimeId);
  const [meia] = await buyTicketsAs('ana', showtimeId, [{ seatId: seats[0], ticketType: 'MEIA_ESTUDANTE' }, { seatId: seats[1], ticketType: 'INTEIRA' }])
    .then((tickets) => tickets.filter((x) => x.meia));

  // A buyer has no Check-in link, and the address says "Acesso restrito".
  const buyer = await phonePage(t);
  await signIn(buyer, 'Bruno Lima');
  assert.equal(await buyer.getByTestId('check-in-link').count(), 0);
  await buyer.goto(`${server.url}/equipe/check-in`);
  await buyer.getByTestId('check-in-restricted').getByText('Acesso restrito').waitFor();
  assert.equal(await buyer.getByLabel('Código do ingresso').count(), 0);

  const page = await phonePage(t);
  await signIn(page, 'Carla Mendes');
  await page.getByTestId('check-in-link').click();
  await page.getByRole('heading', { level: 1, name: 'Check-in' }).waitFor();
  // The door says which showtime it serves; the server lets the ticket in only there (and the local
  // server opens the door a week early, see local-server.mjs).
  await page.getByLabel('Cinema', { exact: true }).selectOption(showtime.cinemaId);
  await page.getByLabel('Dia', { exact: true }).selectOption({ label: day });
  await page.getByLabel('Sessão desta entrada').locator(`option[value="${showtimeId}"]`).waitFor({ state: 'attached' });
  await page.getByLabel('Sessão desta entrada').selectOption(showtimeId);
  await checkA11y(page, 'check-in');

  // Pasted as a phone's QR reader would give it: the token, valid once, meia flagged.
  const checked = page.waitForResponse((r) => r.url().endsWith('/api/checkins'));
  await page.getByLabel('Código do ingresso').fill(meia.qr);
  await page.getByRole('button', { name: 'Validar ingresso' }).click();
  assert.equal((await checked).status(), 201);
  const result = page.getByTestId('check-in-result');
  await result.getByRole('heading', { name: 'Entrada liberada' }).waitFor();
  assert.match(await result.innerText(), new RegExp(`Assento ${meia.seatId} · Meia-entrada estudante`));
  assert.match(await page.getByTestId('meia-flag').innerText(), /^Meia-entrada: peça o documento\. Carteira de Identificação Estudantil/);
  assert.equal(await page.getByLabel('Código do ingresso').inputValue(), '', 'ready for the next ticket');
  await shot(page, '18-check-in-valid');
  await checkA11y(page, 'check-in valid');

  // The same ticket again: 409, already used at a São Paulo time.
  const again = page.waitForResponse((r) => r.url().endsWith('/api/checkins'));
  await page.getByLabel('Código do ingresso').fill(meia.qr);
  await page.keyboard.press('Tab');
  await page.getByRole('button', { name: 'Validar ingresso' }).press('Enter');
  assert.equal((await again).status(), 409);
  await result.getByRole('heading', { name: 'Ingresso já utilizado' }).waitFor();
  assert.match(await result.innerText(), /Usado às \d{2}:\d{2} de \d{2}\/\d{2}\/\d{4}\. Não libere a entrada\./);
  await shot(page, '19-check-in-used');
  await checkA11y(page, 'check-in already used');

  // A code that was not signed by the chain.
  const forged = meia.qr.replace(/\.[^.]+$/, '.AAAA');
  await page.getByLabel('Código do ingresso').fill(forged);
  await page.getByRole('button', { name: 'Validar ingresso' }).click();
  await result.getByRole('heading', { name: 'Ingresso inválido' }).waitFor();
});

test('staff hand bomboniere items over at the counter by the pickup code: all at once, then already handed over; buyers do not see it', async (t) => {
  // Ana buys a ticket with bomboniere items, as every buyer does: the confirmation shows the pickup code as text and
  // as a QR code whose payload is the code.
  const buyer = await phonePage(t);
  const showtimeId = await showtimeOnSale();
  const [seat] = await twoFreeSeats(showtimeId);
  await holdAndOpenCheckout(buyer, 'Ana Souza', showtimeId, [seat], () => chooseConcessions(buyer));
  await createOrder(buyer);
  await buyer.getByLabel('Número do cartão').fill('4111 1111 1111 1111');
  await buyer.getByRole('button', { name: /^Pagar R\$/ }).click();
  await buyer.waitForURL(/\/compra\/confirmacao\/ord-[a-z0-9]+$/);
  const orderId = new URL(buyer.url()).pathname.split('/').pop();
  const code = await buyer.getByTestId('pickup-code').innerText();
  assert.match(code, /^[2-9A-HJ-NP-Z]{6}$/);
  // (The QR is an <img> once drawn; a placeholder with the same name stands in until then.)
  const qrName = `QR do código de retirada ${code}`;
  const qr = buyer.getByTestId('pickup-qr').locator('img');
  await qr.waitFor();
  assert.equal(await buyer.getByRole('img', { name: qrName }).count(), 1);
  assert.equal(await qr.getAttribute('alt'), qrName);
  assert.equal(await qr.getAttribute('data-payload'), code);
  assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml/);
  // The same QR code on Meus pedidos.
  await buyer.getByRole('link', { name: 'Ver meus pedidos' }).click();
  const cardQr = buyer.locator(`[data-order="${orderId}"]`).getByTestId('order-pickup-qr').locator('img');
  await cardQr.waitFor();
  assert.equal(await cardQr.getAttribute('alt'), qrName);
  assert.equal(await cardQr.getAttribute('data-payload'), code);
  // A buyer has no Bomboniere link, and the address says "Acesso restrito".
  assert.equal(await buyer.getByTestId('counter-link').count(), 0);
  await buyer.goto(`${server.url}/equipe/bomboniere`);
  await buyer.getByTestId('counter-restricted').getByText('Acesso restrito').waitFor();
  assert.equal(await buyer.getByLabel('Código de retirada').count(), 0);

  const order = await getAs('ana', `/api/orders/${orderId}`);
  const cinemas = (await fetch(`${server.url}/api/cinemas`).then((r) => r.json())).items;
  const other = cinemas.find((c) => c.id !== order.showtime.cinemaId);

  // The counter: Carla opens it from the header, at another cinema first. Read out as people do (lowercase, a space).
  const counter = await phonePage(t);
  await signIn(counter, 'Carla Mendes');
  await counter.getByTestId('counter-link').click();
  await counter.getByRole('heading', { level: 1, name: 'Bomboniere' }).waitFor();
  await counter.getByLabel('Cinema', { exact: true }).selectOption(other.id);
  await checkA11y(counter, 'counter');
  const result = counter.getByTestId('counter-result');
  const lookUp = async (page, typed) => {
    const looked = page.waitForResponse((r) => r.url().includes(`/api/pickups/${code}?`) && r.request().method() === 'GET');
    if (typed) await page.getByLabel('Código de retirada').fill(typed);
    await page.getByRole('button', { name: 'Consultar código' }).click();
    return looked;
  };
  const wrong = await lookUp(counter, `${code.slice(0, 3).toLowerCase()} ${code.slice(3).toLowerCase()}`);
  assert.equal(wrong.status(), 422);
  assert.equal(new URL(wrong.url()).searchParams.get('cinemaId'), other.id);
  await result.getByRole('heading', { name: 'Retirada de outro cinema' }).waitFor();
  assert.equal(plain(await result.innerText()),
    `Retirada de outro cinema Este código é de um pedido do ${order.showtime.cinemaName}; a retirada é feita lá.`);
  assert.equal(await counter.getByLabel('Código de retirada').inputValue(), code, 'the code as read, to correct or look up again');
  await shot(counter, '22-counter-wrong-cinema');
  await checkA11y(counter, 'counter wrong cinema');

  // At the order's cinema: its lines, each still to hand over.
  await counter.getByLabel('Cinema', { exact: true }).selectOption(order.showtime.cinemaId);
  assert.equal((await lookUp(counter)).status(), 200);
  const pickup = counter.getByTestId('counter-pickup');
  await pickup.getByRole('heading', { name: `Código ${code}` }).waitFor();
  assert.equal(plain(await result.innerText()), '2 itens a entregar.');
  assert.deepEqual((await pickup.getByTestId('pickup-line').allInnerTexts()).map(plain),
    ['1× Combo Casal Cola · Guaraná A entregar', '2× Água Mineral Sem gás A entregar']);
  await pickup.getByRole('checkbox', { name: /Combo Casal/ }).waitFor();
  await shot(counter, '23-counter-pickup');
  await checkA11y(counter, 'counter pickup');

  // A second counter of the same cinema reads the code too, before the first hands anything over.
  const late = await phonePage(t);
  await signIn(late, 'Carla Mendes');
  await late.goto(`${server.url}/equipe/bomboniere`);
  await late.getByLabel('Cinema', { exact: true }).selectOption(order.showtime.cinemaId);
  assert.equal((await lookUp(late, code)).status(), 200);
  await late.getByTestId('counter-pickup').getByRole('button', { name: 'Entregar tudo' }).waitFor();

  // Entregar tudo: every line, no `lines` sent; each line now says when and by whom, in São Paulo time.
  const redeemed = counter.waitForResponse((r) => r.url().endsWith(`/api/pickups/${code}/redemptions`));
  await pickup.getByRole('button', { name: 'Entregar tudo' }).click();
  const res = await redeemed;
  assert.equal(res.status(), 201);
  assert.deepEqual(JSON.parse(res.request().postData()), { cinemaId: order.showtime.cinemaId });
  await result.getByRole('heading', { name: 'Itens entregues' }).waitFor();
  assert.equal(plain(await result.innerText()), 'Itens entregues Entregue agora: 1× Combo Casal, 2× Água Mineral. Tudo deste código foi entregue.');
  const stored = await getAs('carla', `/api/pickups/${code}?cinemaId=${order.showtime.cinemaId}`);
  assert.equal(stored.remaining, 0);
  const { redeemedAt, redeemedBy } = stored.lines[0];
  assert.match(redeemedBy, /^Carla/);
  const handedWhen = `às ${spTime(redeemedAt)}(?: de \\d{2}/\\d{2}/\\d{4})? por ${escapeRegExp(redeemedBy)}`;
  for (const line of (await pickup.getByTestId('pickup-line').allInnerTexts()).map(plain)) {
    assert.match(line, new RegExp(`Entregue ${handedWhen}$`));
  }
  assert.equal(await pickup.getByRole('checkbox').count(), 0);
  assert.equal(await pickup.getByRole('button', { name: 'Entregar tudo' }).count(), 0);
  await counter.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'next-code');
  await shot(counter, '24-counter-handed-over');
  await checkA11y(counter, 'counter handed over');

  // The second counter's Entregar tudo comes too late: 409, with who handed the items over and when.
  const again = late.waitForResponse((r) => r.url().endsWith(`/api/pickups/${code}/redemptions`));
  await late.getByTestId('counter-pickup').getByRole('button', { name: 'Entregar tudo' }).click();
  assert.equal((await again).status(), 409);
  const lateResult = late.getByTestId('counter-result');
  await lateResult.getByRole('heading', { name: 'Itens já entregues' }).waitFor();
  assert.match(plain(await lateResult.innerText()), new RegExp(`^Itens já entregues Já entregue ${handedWhen}\\. Não entregue de novo\\.$`));
  await late.getByTestId('counter-pickup').getByText(new RegExp(`Entregue ${handedWhen}`)).first().waitFor();
  assert.equal(await late.getByTestId('counter-pickup').getByRole('button', { name: 'Entregar tudo' }).count(), 0);
  await shot(late, '25-counter-already-handed-over');
  await checkA11y(late, 'counter already handed over');

  // Próximo código, and the same code again: already handed over, by whom and when.
  await counter.getByRole('button', { name: 'Próximo código' }).click();
  await counter.waitForFunction(() => document.activeElement?.id === 'pickup-code' && document.activeElement.value === ''
    && document.querySelector('[data-testid="counter-result"]').textContent.trim() === '');
  assert.equal(await counter.getByTestId('counter-pickup').count(), 0);
  assert.equal((await lookUp(counter, code)).status(), 200);
  await result.getByRole('heading', { name: 'Itens já entregues' }).waitFor();
  assert.match(plain(await result.innerText()), new RegExp(`^Itens já entregues Já entregue ${handedWhen}\\. Não entregue de novo\\.$`));
});

/** updateWaitingRoom as staff (carla), through the API as ops would. */
async function setWaitingRoom(settings) {
  const res = await fetch(`${server.url}/api/ops/waiting-room`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${await tokenFor('carla')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ admissionTokenTtlSeconds: 600, movieIds: [], showtimeIds: [], admissionRatePerMinute: 600, ...settings }),
  });
  assert.equal(res.status, 200, `updateWaitingRoom: ${await res.clone().text()}`);
}

test('a showtime in premiere mode: the buyer queues in the waiting room, sees the position and wait, and gets the seats when admitted', async (t) => {
  const showtimeId = await showtimeOnSale();
  const [seat] = await twoFreeSeats(showtimeId);
  // Probe showtimes of other movies, on sale and in premiere mode too (see below).
  const probes = [];
  for (const movie of ['mov-a-mare', 'mov-amor-em-ouro-preto']) probes.push(...(await showtimes.take(movie, 5)).map((x) => x.id));
  // 48 buyers a minute over the queue's 8 shards (ADR 0403): one place behind someone on the same shard is a ten-second wait.
  await setWaitingRoom({ mode: 'ON', showtimeIds: [showtimeId, ...probes], admissionRatePerMinute: 48 });
  t.after(() => setWaitingRoom({ mode: 'OFF' }));
  // The server caches the settings for a few seconds: wait until createHold without a token is refused.
  const bruno = await tokenFor('bruno');
  for (let i = 0; ; i++) {
    const res = await fetch(`${server.url}/api/holds`, {
      method: 'POST', headers: { Authorization: `Bearer ${bruno}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ showtimeId, seats: [{ seatId: 'Z99', ticketType: 'INTEIRA' }] }),
    });
    if (res.status === 403) break;
    assert.ok(i < 100, 'the waiting room was switched on');
    await new Promise((r) => setTimeout(r, 200));
  }

  const page = await phonePage(t);
  await signIn(page, 'Ana Souza');
  await page.goto(`${server.url}/sessoes/${showtimeId}/assentos`);
  await page.locator(`[data-seat="${seat}"]`).click();
  await page.waitForFunction(() => document.querySelectorAll('.seat[aria-pressed="true"]').length === 1);

  // Each operation caches the settings for a few seconds on its own: enter probe showtimes (one entry each)
  // until enterWaitingRoom queues instead of letting through.
  const carla = await tokenFor('carla');
  const enter = (id, token = carla) => fetch(`${server.url}/api/waiting-room/entries`, {
    method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ showtimeId: id }),
  }).then((r) => r.json());
  for (let i = 0; ; i++) {
    assert.ok(i < probes.length, 'enterWaitingRoom saw the waiting room switched on');
    if ((await enter(probes[i])).status !== 'BYPASSED') break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  // Someone got in line just before Ana, on the shard Ana will take: the server hands shards out in turn, so
  // seven entrants elsewhere in between bring the turn back to it. (The first of a shard gets in at once.)
  const ahead = await enter(showtimeId);
  assert.notEqual(ahead.status, 'BYPASSED');
  for (const other of probes.slice(0, 7)) assert.equal((await enter(other, bruno)).status === 'BYPASSED', false);

  const refused = page.waitForResponse((r) => r.url().endsWith('/api/holds') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Reservar' }).click();
  assert.equal((await refused).status(), 403);
  await page.waitForURL(new RegExp(`/sessoes/${showtimeId}/fila$`));
  const queue = page.getByTestId('queue');
  await queue.getByRole('heading', { name: 'Você está na fila' }).waitFor();
  assert.match(await page.getByTestId('queue-position').innerText(), /^\d+º$/);
  assert.match(await page.getByTestId('queue-eta').innerText(), /^(menos de 1 minuto|cerca de \d+ minutos?)$/);
  await shot(page, '20-waiting-room');
  await checkA11y(page, 'waiting room');

  // Admitted: back to the seats, and the hold goes through with the admission token.
  const held = page.waitForResponse((r) => r.url().endsWith('/api/holds') && r.request().method() === 'POST' && r.status() === 201,
    { timeout: 60_000 });
  const res = await held;
  assert.match(res.request().headers()['x-waiting-room-token'] ?? '', /^WRT1\./);
  await page.waitForURL(/\/compra\/bomboniere$/);
  await page.locator('app-hold-summary').getByText(`Assento ${seat}`).waitFor();
});

test('a deep link to a showtime that does not exist shows a pt-BR error, not a blank page', async (t) => {
  const page = await phonePage(t);
  await page.goto(server.url + '/sessoes/st-nao-existe/assentos');
  await page.getByRole('alert').getByText('Não encontrado').waitFor();
  await page.goto(server.url + '/filmes/mov-nao-existe');
  await page.getByRole('alert').getByText('Não encontrado').waitFor();
  await page.goto(server.url + '/pagina/que-nao-existe');
  await page.getByRole('heading', { name: 'Página não encontrada' }).waitFor();
  await checkA11y(page, 'not found');
});

test('the privacy policy and the terms of use: reached from the footer and the sign-in page, public, one h1 each', async (t) => {
  const page = await phonePage(t);
  await page.goto(server.url + '/');
  await page.getByRole('contentinfo').getByRole('link', { name: 'Política de Privacidade' }).click();
  await page.getByRole('heading', { level: 1, name: 'Política de Privacidade' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/privacidade');
  assert.equal(await page.title(), 'Política de Privacidade — Bilhetagem');
  await page.getByTestId('legal-version').waitFor();
  await checkA11y(page, 'privacy policy');
  await page.goto(server.url + '/entrar');
  await page.getByTestId('legal-consent').getByRole('link', { name: 'Termos de Uso' }).click();
  await page.getByRole('heading', { level: 1, name: 'Termos de Uso' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/termos');
  assert.equal(await page.title(), 'Termos de Uso — Bilhetagem');
  await checkA11y(page, 'terms of use');
});

test('a buyer of this run deletes their account from Meus dados: signed out, told so, and their export is empty', async (t) => {
  const page = await phonePage(t);
  const username = `lgpd-${Date.now().toString(36)}`;
  await page.goto(server.url + '/entrar');
  await page.getByRole('button', { name: 'Entrar', exact: true }).click();
  await page.waitForURL(/\/auth\/authorize/);
  await page.getByLabel('Outro nome').fill(username);
  await page.getByRole('button', { name: 'Entrar com este nome' }).click();
  await page.getByTestId('user-name').waitFor();
  const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('bilhetagem.session') ?? 'null')?.token);

  await page.getByRole('link', { name: 'Meus dados' }).click();
  await page.getByRole('heading', { level: 1, name: 'Meus dados' }).waitFor();
  await page.getByRole('button', { name: 'Excluir minha conta' }).click();
  const dialog = page.getByRole('dialog', { name: 'Excluir sua conta?' });
  await dialog.waitFor();
  await dialog.getByTestId('delete-understood').check();
  const deleted = page.waitForResponse((r) => r.url().endsWith('/api/me') && r.request().method() === 'DELETE');
  await dialog.getByRole('button', { name: 'Excluir definitivamente' }).click();
  assert.equal((await deleted).status(), 204);
  await page.waitForURL((u) => new URL(u).pathname === '/');
  await page.getByText('Sua conta foi excluída.').waitFor();
  await page.getByRole('link', { name: 'Entrar' }).waitFor();
  await checkA11y(page, 'home after the account was deleted');

  // The token still signs in (Google's would too): the account it names is empty.
  assert.ok(token, 'the session kept its token before the deletion');
  const res = await fetch(`${server.url}/api/me/data`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  const data = await res.json();
  assert.equal(data.profile, undefined, 'no profile is left');
  assert.deepEqual(data.orders, []);
});

test('the seat map and the movie page also lay out on a desktop screen', async (t) => {
  const page = await phonePage(t, { width: 1280, height: 800 });
  await page.goto(`${server.url}/sessoes/${await showtimeOnSale()}/assentos`);
  await page.getByRole('group', { name: /Mapa de assentos/ }).waitFor();
  const [map, panel] = await Promise.all([page.locator('.map').boundingBox(), page.locator('aside.panel').boundingBox()]);
  assert.ok(panel.x > map.x + map.width - 1, 'the summary panel sits beside the map');
  await shot(page, '10-seats-desktop');
  await checkA11y(page, 'seats (desktop)');
});

test('the cinema cancels a paid showtime: the buyer sees the bell, the inbox, the notice on the refunded order and its receipt', async (t) => {
  const showtimeId = await showtimeOnSale();
  const seats = await twoFreeSeats(showtimeId);
  // Holds the earlier tests left to expire would keep ana at her limit of live holds: she lets them go.
  const anaToken = await tokenFor('ana');
  for (const h of (await getAs('ana', '/api/me/holds')).items) {
    const del = await fetch(`${server.url}/api/holds/${h.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${anaToken}` } });
    assert.ok(del.status === 204 || del.status === 409, `releaseHold ${h.id}: ${del.status}`);
  }
  const [ticket] = await buyTicketsAs('ana', showtimeId, [{ seatId: seats[0], ticketType: 'INTEIRA' }]);
  // Staff cancel the showtime through the back office API: the paid order is refunded and ana told.
  const res = await fetch(`${server.url}/api/admin/showtimes/${showtimeId}/cancel`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${await tokenFor('carla')}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ reason: 'Falha no projetor da sala.' }),
  });
  assert.equal(res.status, 200, `cancelShowtime: ${await res.clone().text()}`);
  const { items, unread } = await getAs('ana', '/api/me/notices');
  const notice = items.find((n) => n.showtimeId === showtimeId);
  assert.equal(notice?.kind, 'SHOWTIME_CANCELLED');
  assert.ok(unread >= 1);

  const page = await phonePage(t);
  await signIn(page, 'Ana Souza');
  const bell = page.getByTestId('notice-bell');
  await page.getByTestId('notice-count').waitFor();
  assert.equal(await bell.getAttribute('aria-label'), unread === 1 ? 'Avisos, 1 não lido' : `Avisos, ${unread} não lidos`);
  await bell.click();
  await page.getByRole('heading', { level: 1, name: 'Avisos' }).waitFor();
  const mine = page.getByTestId('notice').filter({ hasText: notice.message });
  await mine.getByText('Novo', { exact: true }).waitFor();
  assert.match(await mine.innerText(), /^Sessão cancelada\s+Novo/);
  await checkA11y(page, 'notices');
  await shot(page, '26-notices');
  // Opening the inbox read them: the bell has no count left.
  await page.getByTestId('notice-count').waitFor({ state: 'detached' });
  assert.equal(await bell.getAttribute('aria-label'), 'Avisos, nenhum não lido');

  await page.getByRole('link', { name: 'Ver meus pedidos' }).click();
  const order = page.locator(`[data-order="${ticket.orderId}"]`);
  await order.getByTestId('order-notice').waitFor();
  assert.match(await order.getByTestId('order-notice').innerText(), /^Aviso do cinema: .*Falha no projetor/);
  assert.equal(await order.getByTestId('order-status').innerText(), 'Cancelado · reembolsado');
  await checkA11y(page, 'my orders with a cinema notice');
  await order.getByTestId('receipt-link').click();
  await page.getByTestId('receipt').waitFor();
  assert.equal(await page.getByTestId('receipt-order').innerText(), ticket.orderId);
  assert.match(await page.getByTestId('receipt-refund').innerText(), /^Estornado R\$\s?[\d.,]+ em \d{2}:\d{2} de \d{2}\/\d{2}\/\d{4}$/);
  assert.match(await page.getByTestId('receipt').innerText(), /não é documento fiscal/);
  await checkA11y(page, 'receipt');
  await shot(page, '27-receipt');
});

test('axe-core checked every screen of the journey', () => {
  for (const screen of ['home', 'movie', 'seats', 'seats (map wider than the screen)', 'login', 'hold step (bomboniere)', 'bomboniere with items', 'checkout', 'checkout after Criar pedido',
    'seats held', 'confirmation', 'my orders', 'cancel dialog', 'my orders after a cancellation', 'seats after a declined card', 'pix', 'pix reopened on another device',
    'my data', 'delete account dialog', 'home after the account was deleted',
    'my orders (signed in)', 'seats with an isolated-seat warning', 'seats with an isolated-seat refusal', 'my orders with an order waiting for payment', 'not found', 'check-in', 'check-in valid', 'check-in already used', 'counter', 'counter wrong cinema', 'counter pickup',
    'counter handed over', 'counter already handed over', 'waiting room', 'login after the session ended', 'notices', 'my orders with a cinema notice', 'receipt',
    'privacy policy', 'terms of use']) {
    assert.ok(a11yChecked.has(screen), `axe-core did not run on ${screen}`);
  }
});

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A showtime's seat rows, front (row A) first, each row's seats left to right. */
function rowsOf(showtime) {
  const rows = new Map();
  for (const s of showtime.seatMap.seats) rows.set(s.y, [...(rows.get(s.y) ?? []), s]);
  return [...rows.entries()].sort(([a], [b]) => a - b).map(([, seats]) => seats.sort((a, b) => a.x - b.x));
}

const free = (s) => s.status === 'AVAILABLE' && s.type === 'STANDARD';

/** Two free standard seats side by side in the middle of the back-most long free row, so no hold leaves one seat alone. */
function freeRowPair(showtime) {
  for (const seats of rowsOf(showtime).reverse()) {
    if (seats.length < 12 || !seats.every(free)) continue;
    const mid = Math.floor(seats.length / 2) - 1;
    return [seats[mid].id, seats[mid + 1].id];
  }
  return undefined;
}

/** As freeRowPair, read from the showtime as it is now. */
async function twoFreeSeats(showtimeId) {
  const seats = freeRowPair(await fetch(`${server.url}/api/showtimes/${showtimeId}`).then((r) => r.json()));
  assert.ok(seats, `a free row in ${showtimeId}`);
  return seats;
}

/**
 * In row D, the first two seats of a run of at least four free standard seats side by side (so the two leave
 * no seat alone, whatever the room), and how many ArrowRight presses from the row's first seat reach them.
 */
function keyboardPair(showtime) {
  const row = rowsOf(showtime)[3] ?? [];
  for (let i = 0; i + 3 < row.length; i++) {
    const run = row.slice(i, i + 4);
    if (run.every(free) && run.every((s, j) => s.x === row[i].x + j) && (i === 0 || !free(row[i - 1]) || row[i - 1].x !== row[i].x - 1)) {
      return { rights: i, seats: [row[i].id, row[i + 1].id] };
    }
  }
  return undefined;
}
