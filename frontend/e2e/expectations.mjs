// What the browser tests expect, taken from what the server says and never
// from the machine's calendar: the server's clock (getHealth), showtimes on
// sale from that instant (listShowtimes, getShowtime) and BRL amounts written
// as the SPA writes them. With these the suite passes on any day and at any
// hour, and as if it were any other day (E2E_CLOCK, see local-server.mjs).
import assert from 'node:assert/strict';

const SP = 'America/Sao_Paulo';
const dayFormat = new Intl.DateTimeFormat('en-CA', { timeZone: SP, year: 'numeric', month: '2-digit', day: '2-digit' });
const dayMonthFormat = new Intl.DateTimeFormat('pt-BR', { timeZone: SP, day: '2-digit', month: '2-digit' });
const timeFormat = new Intl.DateTimeFormat('pt-BR', { timeZone: SP, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const moneyFormat = new Intl.NumberFormat('pt-BR', { style: 'currency', currency: 'BRL' });

/** The server's clock now (getHealth's `time`). */
export async function serverNow(baseUrl) {
  const res = await fetch(`${baseUrl}/api/health`);
  assert.equal(res.status, 200, `getHealth: ${await res.clone().text()}`);
  const { time } = await res.json();
  const now = new Date(time);
  assert.ok(Number.isFinite(now.getTime()), `getHealth answers the server's time: ${time}`);
  return now;
}

/**
 * Makes the browser context's clock agree with the server's: the SPA reads
 * the browser's clock for "Hoje" on the movie page, the admin screens' default
 * days, the hold's countdown and the ID token's expiry, while the server
 * decides with its own. Playwright's clock starts at the server's time and
 * runs on at the real pace, timers included.
 */
export async function followServerClock(context, baseUrl) {
  await context.clock.install({ time: await serverNow(baseUrl) });
}

/**
 * Fails at once, with the reason, when the development issuer's ID tokens
 * have expired by the server's clock: the SPA checks a token's exp against
 * the page's clock, which follows the server's, so no sign-in could work.
 * (The case when the server's clock is started ahead of the real one and the
 * issuer does not follow it.)
 */
export async function assertTokensOutliveServerNow(baseUrl) {
  const res = await fetch(`${baseUrl}/auth/token`, { method: 'POST', body: new URLSearchParams({ username: 'ana' }) });
  assert.equal(res.status, 200, `development issuer: ${await res.clone().text()}`);
  const { exp } = JSON.parse(Buffer.from((await res.json()).id_token.split('.')[1], 'base64url').toString());
  const now = await serverNow(baseUrl);
  assert.ok(exp * 1000 > now.getTime() + 10 * 60_000,
    `the development issuer's tokens expire at ${new Date(exp * 1000).toISOString()}, by the server's clock (${now.toISOString()}) ` +
    'already or within 10 minutes: the issuer does not follow the server\'s clock, and the SPA would refuse every sign-in');
}

/** The São Paulo calendar day (YYYY-MM-DD) of an instant. */
export const spDate = (instant) => dayFormat.format(new Date(instant));
/** "09/12": the São Paulo day and month of an instant, as the SPA's date strip shows it. */
export const spDayMonth = (instant) => dayMonthFormat.format(new Date(instant));
/** "19:30": the São Paulo time of an instant. */
export const spTime = (instant) => timeFormat.format(new Date(instant));

/** The calendar day n days after a YYYY-MM-DD day. */
export function addDays(day, n) {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** "R$ 18,00" (with the no-break space pt-BR puts after R$) from centavos. */
export const brl = (cents) => moneyFormat.format(cents / 100);
/** Text as a screen shows it, for comparing with brl(): no-break spaces as spaces, runs of space collapsed. */
export const plain = (text) => text.replace(/\s+/g, ' ').trim();

/**
 * Meia-entrada: half of the regular inteira, rounded up to the centavo
 * (listTicketTypes' regularPrice; on a promotional day it is not the day's
 * inteira, as meia does not combine with promotions).
 */
export const meiaOf = (regularCents) => Math.ceil(regularCents / 2);

/**
 * Hands out showtimes on sale, soonest first, each one once, so no two tests
 * share seats. On sale here means: starting at least `leadMinutes` after the
 * server's now, when asked, and getShowtime says salesOpen. The lead covers
 * the longest test, which buys tickets and then cancels the order, and the
 * chain lets a buyer cancel until 2 hours before the start. `accept`, given
 * getShowtime's answer, can ask for more (a room with a free row, say).
 */
export function showtimePicker(baseUrl, { leadMinutes = 180, horizonDays = 14 } = {}) {
  const handedOut = new Set();
  /** n showtimes of a movie (getShowtime's answers), each not handed out before. */
  async function take(movieId, n, accept = () => true) {
    const from = new Date((await serverNow(baseUrl)).getTime() + leadMinutes * 60_000);
    const picked = [];
    for (let i = 0; i <= horizonDays && picked.length < n; i++) {
      const date = addDays(spDate(from), i);
      const list = await fetch(`${baseUrl}/api/showtimes?movieId=${movieId}&date=${date}`);
      assert.equal(list.status, 200, `listShowtimes ${movieId} ${date}: ${await list.clone().text()}`);
      for (const s of (await list.json()).items) {
        if (picked.length === n) break;
        if (handedOut.has(s.id) || new Date(s.startsAt) < from) continue;
        const res = await fetch(`${baseUrl}/api/showtimes/${s.id}`);
        assert.equal(res.status, 200, `getShowtime ${s.id}: ${await res.clone().text()}`);
        const detail = await res.json();
        if (!detail.salesOpen || !accept(detail)) continue;
        handedOut.add(s.id);
        picked.push(detail);
      }
    }
    assert.equal(picked.length, n, `${n} showtimes of ${movieId} on sale from ${from.toISOString()} within ${horizonDays} days`);
    return picked;
  }
  return { take, next: async (movieId, accept) => (await take(movieId, 1, accept))[0] };
}
