import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { authInterceptor } from '../account/auth.interceptor';
import type { Schemas } from '../api/api-client';
import { SeatSelectionPage } from './seat-selection-page';
import { MIN_POLL_MS, WaitingRoomPage, formatWait } from './waiting-room-page';
import { WaitingRoomStore } from './waiting-room-store';

const ST = 'st-paulista-1-20261129-2100';
const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();
const inTenMinutes = () => new Date(Date.now() + 10 * 60_000).toISOString();
const TOKEN = 'WRT1.eyJ2IjoxfQ.c2ln';

const entry = (over: Partial<Schemas['WaitingRoomEntry']> = {}): Schemas['WaitingRoomEntry'] => ({
  id: 'wr-1', showtimeId: ST, status: 'WAITING', position: 5, aheadOfYou: 4, etaSeconds: 150, pollAfterSeconds: 2,
  enteredAt: new Date().toISOString(), ...over,
});
const admittedEntry = () => entry({ status: 'ADMITTED', aheadOfYou: 0, etaSeconds: 0, pollAfterSeconds: 0,
  admittedAt: new Date().toISOString(), admissionToken: TOKEN, admissionExpiresAt: inTenMinutes() });

const showtime = {
  id: ST, movieId: 'mov-x', movieTitle: 'Estreia', cinemaId: 'cin-paulista', cinemaName: 'Bilhetagem Paulista', roomId: 'r-1',
  roomName: 'Sala 1', startsAt: '2026-11-30T00:00:00Z', endsAt: '2026-11-30T02:00:00Z', format: '2D', language: 'LEGENDADO',
  movie: { id: 'mov-x', title: 'Estreia', originalTitle: 'Estreia', ageRating: '12', genres: [], runtimeMinutes: 120,
    releaseDate: '2026-11-26', posterUrl: 'https://img.example/p.jpg', status: 'NOW_SHOWING' },
  salesOpen: true, cancelled: false, meiaRemaining: 10, availability: { capacity: 2, available: 2, held: 0, sold: 0, blocked: 0 },
  seatMap: { layoutVersion: 1, width: 2, height: 1, seats: [
    { id: 'F1', row: 'F', number: 1, x: 0, y: 0, type: 'STANDARD', status: 'AVAILABLE', yours: false },
    { id: 'F2', row: 'F', number: 2, x: 1, y: 0, type: 'STANDARD', status: 'AVAILABLE', yours: false },
  ] },
};

const waitingRoomRequired = [
  JSON.stringify({ type: '/problems/waiting-room-required', title: 'Acesso negado', status: 403, code: 'waiting_room_required' }),
  { status: 403, statusText: 'Forbidden', headers: { 'Content-Type': 'application/problem+json' } },
] as const;

describe('waiting room', () => {
  let http: HttpTestingController;
  const settle = async (fixture: { detectChanges(): void }) => {
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r));
      fixture.detectChanges();
    }
  };

  function configure() {
    sessionStorage.clear();
    sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 60_000 }));
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    return vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
  }

  async function seatPageWithPick() {
    const fixture = TestBed.createComponent(SeatSelectionPage);
    fixture.componentRef.setInput('showtimeId', ST);
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith(`/api/showtimes/${ST}`)).flush(JSON.stringify(showtime));
    http.expectOne((r) => r.url.endsWith('/ticket-types')).flush(JSON.stringify({ showtimeId: ST, items: [], seatSurcharges: [] }));
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    el.querySelector<HTMLElement>('[data-seat="F1"]')!.click();
    await settle(fixture);
    [...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Reservar')!.click();
    await settle(fixture);
    return { fixture, el };
  }

  it('says the estimated wait in pt-BR', () => {
    expect(formatWait(20)).toBe('menos de 1 minuto');
    expect(formatWait(80)).toBe('cerca de 1 minuto');
    expect(formatWait(150)).toBe('cerca de 3 minutos');
  });

  it('Reservar on a showtime in premiere mode: 403 waiting_room_required → a place in the queue → the queue page', async () => {
    const navigate = configure();
    const { fixture } = await seatPageWithPick();
    const hold = http.expectOne((r) => r.url.endsWith('/api/holds'));
    expect(hold.request.headers.has('X-Waiting-Room-Token')).toBe(false);
    hold.flush(...waitingRoomRequired);
    await settle(fixture);
    const enter = http.expectOne((r) => r.url.endsWith('/api/waiting-room/entries') && r.method === 'POST');
    expect(JSON.parse(enter.request.body as string)).toEqual({ showtimeId: ST });
    enter.flush(JSON.stringify(entry()), { status: 201, statusText: 'Created' });
    await settle(fixture);
    expect(navigate).toHaveBeenCalledWith(['/sessoes', ST, 'fila']);
    expect((fixture.nativeElement as HTMLElement).querySelector('[data-testid="hold-problem"]')).toBeNull();
    // The picks stay for when the buyer is admitted.
    expect(JSON.parse(sessionStorage.getItem(`bilhetagem.seats.${ST}`)!)).toEqual([{ seatId: 'F1', ticketType: 'INTEIRA' }]);
  });

  it('admitted at once (no queue right now): the hold is asked again with the admission token', async () => {
    const navigate = configure();
    const { fixture } = await seatPageWithPick();
    http.expectOne((r) => r.url.endsWith('/api/holds')).flush(...waitingRoomRequired);
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/waiting-room/entries')).flush(JSON.stringify(admittedEntry()), { status: 201, statusText: 'Created' });
    await settle(fixture);
    const retry = http.expectOne((r) => r.url.endsWith('/api/holds'));
    expect(retry.request.headers.get('X-Waiting-Room-Token')).toBe(TOKEN);
    expect(TestBed.inject(WaitingRoomStore).tokenFor(ST)).toBe(TOKEN);
    retry.flush('{}', { status: 500, statusText: 'x' });
    await settle(fixture);
    expect(navigate).not.toHaveBeenCalledWith(['/sessoes', ST, 'fila']);
  });

  it('the queue page: position, people ahead and wait, polled at the server pace until admitted, then back to the seats', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    try {
      const navigate = configure();
      sessionStorage.setItem(`bilhetagem.fila.${ST}`, JSON.stringify({ entryId: 'wr-1' }));
      const fixture = TestBed.createComponent(WaitingRoomPage);
      fixture.componentRef.setInput('showtimeId', ST);
      fixture.detectChanges();
      await settle(fixture);
      // The place this tab already has is read back, not taken again.
      http.expectOne((r) => r.url.endsWith('/api/waiting-room/entries/wr-1') && r.method === 'GET').flush(JSON.stringify(entry()));
      await settle(fixture);
      const el = fixture.nativeElement as HTMLElement;
      expect(norm(el.querySelector('[data-testid="queue-position"]')?.textContent)).toBe('5º');
      expect(norm(el.querySelector('[data-testid="queue-ahead"]')?.textContent)).toBe('4');
      expect(norm(el.querySelector('[data-testid="queue-eta"]')?.textContent)).toBe('cerca de 3 minutos');
      expect(el.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('0');
      http.expectNone((r) => r.method === 'POST');

      vi.advanceTimersByTime(MIN_POLL_MS);
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/waiting-room/entries/wr-1')).flush(JSON.stringify(entry({ position: 5, aheadOfYou: 1, etaSeconds: 30 })));
      await settle(fixture);
      expect(norm(el.querySelector('[data-testid="queue-eta"]')?.textContent)).toBe('menos de 1 minuto');
      expect(el.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')).toBe('75');
      expect(norm(el.querySelector('[data-testid="queue-announcement"]')?.textContent)).toContain('1 na sua frente');

      vi.advanceTimersByTime(MIN_POLL_MS);
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/waiting-room/entries/wr-1')).flush(JSON.stringify(admittedEntry()));
      await settle(fixture);
      expect(navigate).toHaveBeenCalledWith(['/sessoes', ST, 'assentos'], { replaceUrl: true });
      const store = TestBed.inject(WaitingRoomStore);
      expect(store.resume()).toBe(ST);
      expect(store.tokenFor(ST)).toBe(TOKEN);
      fixture.destroy();
    } finally {
      vi.useRealTimers();
    }
  });
});
