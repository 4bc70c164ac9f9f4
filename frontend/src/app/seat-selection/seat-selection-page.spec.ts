import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { authInterceptor } from '../account/auth.interceptor';
import type { Schemas } from '../api/api-client';
import { SeatSelectionPage } from './seat-selection-page';

const showtime: Schemas['ShowtimeDetail'] = {
  id: 'st-paulista-3-20261129-1935', movieId: 'mov-linha-de-fogo', movieTitle: 'Linha de Fogo', cinemaId: 'cin-paulista',
  cinemaName: 'Bilhetagem Paulista', roomId: 'room-paulista-3', roomName: 'Sala 3', startsAt: '2026-11-29T22:35:00Z',
  endsAt: '2026-11-30T00:37:00Z', format: '2D', language: 'LEGENDADO',
  movie: { id: 'mov-linha-de-fogo', title: 'Linha de Fogo', originalTitle: 'Line of Fire', ageRating: '16', genres: ['Ação'],
    runtimeMinutes: 122, releaseDate: '2026-10-22', posterUrl: 'https://img.example/p.jpg', status: 'NOW_SHOWING' },
  salesOpen: true, meiaRemaining: 1,
  availability: { capacity: 3, available: 2, held: 0, sold: 1, blocked: 0 },
  seatMap: { layoutVersion: 1, width: 3, height: 1, seats: [
    { id: 'F1', row: 'F', number: 1, x: 0, y: 0, type: 'STANDARD', status: 'AVAILABLE', yours: false },
    { id: 'F2', row: 'F', number: 2, x: 1, y: 0, type: 'STANDARD', status: 'AVAILABLE', yours: false },
    { id: 'F3', row: 'F', number: 3, x: 2, y: 0, type: 'STANDARD', status: 'SOLD', yours: false },
  ] },
};

const problem = (status: number, code: string, extra: object = {}) => ({
  body: JSON.stringify({ type: `/problems/${code}`, title: 'Título do servidor', status, code, ...extra }),
  opts: { status, statusText: 'x', headers: { 'Content-Type': 'application/problem+json' } },
});

describe('SeatSelectionPage', () => {
  let http: HttpTestingController;
  // Not whenStable(): a resource waiting on an unflushed request keeps the app unstable on purpose.
  const settle = async (fixture: { detectChanges(): void }) => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r));
      fixture.detectChanges();
    }
  };

  function setup(signedIn: boolean) {
    sessionStorage.clear();
    if (signedIn) sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 60_000 }));
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(SeatSelectionPage);
    fixture.componentRef.setInput('showtimeId', showtime.id);
    return fixture;
  }

  async function load(fixture: ReturnType<typeof setup>) {
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith(`/api/showtimes/${showtime.id}`)).flush(JSON.stringify(showtime));
    const types = problem(501, 'not_implemented');
    http.expectOne((r) => r.url.endsWith('/ticket-types')).flush(types.body, types.opts);
    await settle(fixture);
    return fixture.nativeElement as HTMLElement;
  }

  const click = (el: HTMLElement, selector: string) => (el.querySelector(selector) as HTMLElement).click();
  const reserveButton = (el: HTMLElement) =>
    [...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Reservar') as HTMLButtonElement;

  it('shows the showtime, the meia left and the map, with Reservar off until a seat is picked', async () => {
    const fixture = setup(true);
    const el = await load(fixture);
    expect(el.querySelector('h1')?.textContent).toBe('Linha de Fogo');
    expect(el.querySelector('.when')?.textContent).toContain('19:35');
    expect(el.querySelector('[data-testid="meia-remaining"]')?.textContent).toContain('restam 1 nesta sessão');
    expect(el.querySelectorAll('button.seat')).toHaveLength(3);
    expect(reserveButton(el).disabled).toBe(true);
    click(el, '[data-seat="F1"]');
    await settle(fixture);
    expect(reserveButton(el).disabled).toBe(false);
    expect(el.querySelector('.picks')?.textContent).toContain('F1');
  });

  it('asks createHold for the picked seats and shows its 501 as "ainda não disponível", holding nothing', async () => {
    const fixture = setup(true);
    const el = await load(fixture);
    click(el, '[data-seat="F1"]');
    click(el, '[data-seat="F2"]');
    await settle(fixture);
    const select = el.querySelector<HTMLSelectElement>('#tt-F2')!;
    select.value = 'MEIA_ESTUDANTE';
    select.dispatchEvent(new Event('change'));
    await settle(fixture);

    reserveButton(el).click();
    await settle(fixture);
    const req = http.expectOne((r) => r.url.endsWith('/api/holds'));
    expect(req.request.headers.get('Authorization')).toBe('Bearer tok');
    expect(JSON.parse(req.request.body as string)).toEqual({
      showtimeId: showtime.id,
      seats: [{ seatId: 'F1', ticketType: 'INTEIRA' }, { seatId: 'F2', ticketType: 'MEIA_ESTUDANTE' }],
    });
    const p = problem(501, 'not_implemented', { detail: 'a operação createHold ainda não foi implementada' });
    req.flush(p.body, p.opts);
    await settle(fixture);

    const notice = el.querySelector('[data-testid="hold-problem"]')!;
    expect(notice.querySelector('[role="alert"]')).not.toBeNull();
    expect(notice.textContent).toContain('Ainda não disponível');
    expect(notice.textContent).toContain('Nada foi feito');
    expect(notice.textContent).not.toContain('createHold');
    expect(el.querySelector('app-countdown')).toBeNull();
    expect(el.querySelectorAll('.seat[aria-pressed="true"]')).toHaveLength(2);
  });

  it('refuses a second meia when only one is left', async () => {
    const fixture = setup(true);
    const el = await load(fixture);
    click(el, '[data-seat="F1"]');
    click(el, '[data-seat="F2"]');
    await settle(fixture);
    for (const id of ['F1', 'F2']) {
      const select = el.querySelector<HTMLSelectElement>(`#tt-${id}`)!;
      select.value = 'MEIA_ESTUDANTE';
      select.dispatchEvent(new Event('change'));
      await settle(fixture);
    }
    expect(el.querySelector('.refused')?.textContent).toContain('Restam 1 meia-entrada(s)');
    expect(el.querySelector<HTMLSelectElement>('#tt-F2')!.value).toBe('INTEIRA');
  });

  it('sends a signed-out buyer to login, coming back to this page', async () => {
    const fixture = setup(false);
    const el = await load(fixture);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    click(el, '[data-seat="F1"]');
    await settle(fixture);
    reserveButton(el).click();
    await settle(fixture);
    http.expectNone((r) => r.url.endsWith('/api/holds'));
    expect(navigate).toHaveBeenCalledWith(['/entrar'], { queryParams: { voltar: '/' } });
  });

  it('on seat_taken drops the taken seat, says why and reloads the map', async () => {
    const fixture = setup(true);
    const el = await load(fixture);
    click(el, '[data-seat="F1"]');
    click(el, '[data-seat="F2"]');
    await settle(fixture);
    reserveButton(el).click();
    await settle(fixture);
    const p = problem(409, 'seat_taken', { title: 'Assento indisponível', detail: 'Os assentos F2 acabaram de ser reservados por outra pessoa. Escolha outros.', seats: ['F2'] });
    http.expectOne((r) => r.url.endsWith('/api/holds')).flush(p.body, p.opts);
    await settle(fixture);
    expect(el.querySelector('[data-testid="hold-problem"]')?.textContent).toContain('Os assentos F2 acabaram de ser reservados');
    expect([...el.querySelectorAll('.picks .seat-id')].map((e) => e.textContent)).toEqual(['F1']);
    http.expectOne((r) => r.url.endsWith(`/api/showtimes/${showtime.id}`)).flush(JSON.stringify(showtime));
  });
});
