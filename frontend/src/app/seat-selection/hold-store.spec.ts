import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { Schemas } from '../api/api-client';
import { HoldStore } from './hold-store';

function testHold(over: Partial<Schemas['Hold']> = {}): Schemas['Hold'] {
  return {
    id: 'h-abc', showtimeId: 'st-1', status: 'ACTIVE', meiaCount: 0, warnings: [],
    seats: [{ seatId: 'F1', row: 'F', number: 1, seatType: 'STANDARD', ticketType: 'INTEIRA', meia: false,
      ticketPrice: { amount: 3600, currency: 'BRL' }, surcharge: { amount: 0, currency: 'BRL' }, price: { amount: 3600, currency: 'BRL' } }],
    total: { amount: 3600, currency: 'BRL' }, createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(), ...over,
  };
}

describe('HoldStore', () => {
  let http: HttpTestingController;
  const tick = () => new Promise((r) => setTimeout(r));

  function store(saved?: object) {
    sessionStorage.clear();
    if (saved) sessionStorage.setItem('bilhetagem.hold', JSON.stringify(saved));
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    http = TestBed.inject(HttpTestingController);
    return TestBed.inject(HoldStore);
  }
  afterEach(() => http.verify());

  it('creates a hold and keeps only its id and showtime in sessionStorage', async () => {
    const s = store();
    const pending = s.create('st-1', [{ seatId: 'F1', ticketType: 'INTEIRA' }]);
    await tick();
    http.expectOne((r) => r.url.endsWith('/api/holds') && r.method === 'POST').flush(JSON.stringify(testHold()), { status: 201, statusText: 'Created' });
    expect((await pending).id).toBe('h-abc');
    expect(s.hold()?.total.amount).toBe(3600);
    expect(JSON.parse(sessionStorage.getItem('bilhetagem.hold')!)).toEqual({ id: 'h-abc', showtimeId: 'st-1' });
  });

  it('sends an Idempotency-Key per Reservar attempt: the same on a retry, a new one for other seats or after a hold', async () => {
    const s = store();
    const seats = [{ seatId: 'F1', ticketType: 'INTEIRA' as const }];
    const keys: string[] = [];
    async function attempt(picks: typeof seats, answer: 'lost' | 'held') {
      const pending = s.create('st-1', picks);
      await tick();
      const req = http.expectOne((r) => r.url.endsWith('/api/holds') && r.method === 'POST');
      keys.push(req.request.headers.get('Idempotency-Key')!);
      if (answer === 'lost') {
        req.error(new ProgressEvent('error'));
        await pending.catch(() => undefined);
      } else {
        req.flush(JSON.stringify(testHold()), { status: 201, statusText: 'Created' });
        await pending;
      }
    }
    await attempt(seats, 'lost');
    await attempt(seats, 'held');
    await attempt([{ seatId: 'F2', ticketType: 'INTEIRA' }], 'lost');
    await attempt(seats, 'held');
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[1]);
    expect(keys[3]).not.toBe(keys[2]);
    expect(keys[3]).not.toBe(keys[0]);
  });

  it('adopts the buyer\'s live hold on the showtime made elsewhere (listMyHolds), so it can be continued or released', async () => {
    const s = store();
    const pending = s.adopt('st-1');
    await tick();
    const other = testHold({ id: 'h-other', showtimeId: 'st-2' });
    const gone = testHold({ id: 'h-gone', expiresAt: new Date(Date.now() - 1000).toISOString() });
    http.expectOne((r) => r.url.endsWith('/api/me/holds') && r.method === 'GET')
      .flush(JSON.stringify({ items: [other, gone, testHold()] }));
    expect((await pending)?.id).toBe('h-abc');
    expect(s.hold()?.id).toBe('h-abc');
    expect(JSON.parse(sessionStorage.getItem('bilhetagem.hold')!)).toEqual({ id: 'h-abc', showtimeId: 'st-1' });

    const release = s.release();
    await tick();
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc') && r.method === 'DELETE').flush(null, { status: 204, statusText: 'No Content' });
    await release;
    expect(s.hold()).toBeNull();
  });

  it('adopts nothing when the buyer has no live hold on the showtime', async () => {
    const s = store();
    const pending = s.adopt('st-1');
    await tick();
    http.expectOne((r) => r.url.endsWith('/api/me/holds')).flush(JSON.stringify({ items: [testHold({ showtimeId: 'st-2' })] }));
    expect(await pending).toBeNull();
    expect(s.hold()).toBeNull();
    expect(sessionStorage.getItem('bilhetagem.hold')).toBeNull();
  });

  it('reads an active saved hold back with getHold', async () => {
    const s = store({ id: 'h-abc', showtimeId: 'st-1' });
    const pending = s.restore();
    await tick();
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc')).flush(JSON.stringify(testHold()));
    expect((await pending)?.id).toBe('h-abc');
    expect(s.notice()).toBeNull();
  });

  it('forgets an expired hold, leaves the pt-BR notice and releases it on the server', async () => {
    const s = store({ id: 'h-abc', showtimeId: 'st-1' });
    const pending = s.restore();
    await tick();
    // ACTIVE but past expiresAt (no cleanup ran yet) counts as expired too.
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc') && r.method === 'GET')
      .flush(JSON.stringify(testHold({ expiresAt: new Date(Date.now() - 1000).toISOString() })));
    expect(await pending).toBeNull();
    expect(s.notice()?.title).toBe('Sua reserva expirou');
    expect(sessionStorage.getItem('bilhetagem.hold')).toBeNull();
    await tick();
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc') && r.method === 'DELETE').flush(null, { status: 204, statusText: 'No Content' });
    await tick();
    expect(s.freed()).toBe(1);
  });

  it('forgets a hold the server does not know (another buyer signed in, or it is gone)', async () => {
    const s = store({ id: 'h-abc', showtimeId: 'st-1' });
    const pending = s.restore();
    await tick();
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc')).flush(
      JSON.stringify({ type: '/problems/not-found', title: 'Não encontrado', status: 404, code: 'not_found' }),
      { status: 404, statusText: 'Not Found', headers: { 'Content-Type': 'application/problem+json' } });
    expect(await pending).toBeNull();
    expect(s.saved()).toBeNull();
    expect(s.notice()).toBeNull();
  });

  it('releases with DELETE and forgets the hold only once the server said 204', async () => {
    const s = store({ id: 'h-abc', showtimeId: 'st-1' });
    const pending = s.release();
    await tick();
    expect(s.saved()).not.toBeNull();
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc') && r.method === 'DELETE').flush(null, { status: 204, statusText: 'No Content' });
    await pending;
    expect(s.saved()).toBeNull();
  });
});
