import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { authInterceptor } from '../account/auth.interceptor';
import { AuthService } from '../account/auth.service';
import { CheckInPage, qrPayload } from './check-in-page';

const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();
const QR = 'BLT1.eyJ2IjoxfQ.c2lnbmF0dXJl';
const CINEMAS = { items: [{ id: 'paulista', name: 'Bilhetagem Paulista' }, { id: 'pinheiros', name: 'Bilhetagem Pinheiros' }] };
const SHOWTIMES = {
  date: '2026-11-29',
  items: [
    { id: 'st-1', movieId: 'm', movieTitle: 'Linha de Fogo', cinemaId: 'paulista', cinemaName: 'Bilhetagem Paulista', roomId: 'sala-3',
      roomName: 'Sala 3', startsAt: '2026-11-29T22:35:00Z', endsAt: '2026-11-30T00:40:00Z', format: '2D', language: 'DUBLADO' },
    { id: 'st-2', movieId: 'm', movieTitle: 'Linha de Fogo', cinemaId: 'paulista', cinemaName: 'Bilhetagem Paulista', roomId: 'sala-1',
      roomName: 'Sala 1', startsAt: '2026-11-29T23:10:00Z', endsAt: '2026-11-30T01:15:00Z', format: '2D', language: 'LEGENDADO' },
  ],
};

describe('Check-in (staff)', () => {
  let http: HttpTestingController;
  const settle = async (fixture: { detectChanges(): void }) => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r));
      fixture.detectChanges();
    }
  };

  function open(roles: ('buyer' | 'staff')[]) {
    sessionStorage.clear();
    sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 60_000 }));
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).me.set({ sub: 'user-carla', email: 'carla@exemplo.com.br', name: 'Carla Mendes', roles });
    const fixture = TestBed.createComponent(CheckInPage);
    fixture.detectChanges();
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }

  /** Answers the door's cinemas and today's showtimes, and picks the door's showtime. */
  async function pickDoor(fixture: { detectChanges(): void }, el: HTMLElement, showtimeId = 'st-1') {
    await settle(fixture);
    http.expectOne((r) => r.method === 'GET' && r.url.endsWith('/api/cinemas')).flush(JSON.stringify(CINEMAS));
    await settle(fixture);
    const list = http.expectOne((r) => r.method === 'GET' && r.url.includes('/api/showtimes'));
    const query = new URL(list.request.url).searchParams;
    expect(query.get('cinemaId')).toBe('paulista');
    expect(query.get('date')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    list.flush(JSON.stringify(SHOWTIMES));
    await settle(fixture);
    const select = el.querySelector<HTMLSelectElement>('#door-showtime')!;
    select.value = showtimeId;
    select.dispatchEvent(new Event('change'));
    await settle(fixture);
  }

  async function submit(fixture: { detectChanges(): void }, el: HTMLElement, text: string) {
    await settle(fixture);
    const area = el.querySelector('textarea')!;
    area.value = text;
    area.dispatchEvent(new Event('input'));
    await settle(fixture);
    el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await settle(fixture);
    return http.expectOne((r) => r.url.endsWith('/api/checkins') && r.method === 'POST');
  }

  const problem = (status: number, code: string, extra = {}) => [
    JSON.stringify({ type: `/problems/${code}`, title: 'x', status, code, ...extra }),
    { status, statusText: 'x', headers: { 'Content-Type': 'application/problem+json' } },
  ] as const;

  it('keeps only the token of a pasted QR (line breaks and spaces out)', () => {
    expect(qrPayload(' BLT1.abc\n.def \n')).toBe('BLT1.abc.def');
  });

  it('the door picks its showtime first: no ticket is checked until it does', async () => {
    const { fixture, el } = open(['staff']);
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/cinemas')).flush(JSON.stringify(CINEMAS));
    await settle(fixture);
    http.expectOne((r) => r.url.includes('/api/showtimes')).flush(JSON.stringify(SHOWTIMES));
    await settle(fixture);
    const options = [...el.querySelectorAll<HTMLOptionElement>('#door-showtime option')].map((o) => norm(o.textContent));
    expect(options).toEqual(['Escolha a sessão', '19:35 · Linha de Fogo · Sala 3', '20:10 · Linha de Fogo · Sala 1']);
    const days = [...el.querySelectorAll<HTMLOptionElement>('#door-day option')];
    expect(days.map((o) => norm(o.textContent))).toEqual(['Ontem', 'Hoje', 'Amanhã']);
    expect(days[1].selected).toBe(true);
    const area = el.querySelector('textarea')!;
    area.value = QR;
    area.dispatchEvent(new Event('input'));
    await settle(fixture);
    expect(el.querySelector<HTMLButtonElement>('button[type="submit"]')!.disabled).toBe(true);
    http.expectNone((r) => r.url.endsWith('/api/checkins'));
  });

  it('a valid meia ticket: entrance allowed, and the door is told to ask for the document', async () => {
    const { fixture, el } = open(['buyer', 'staff']);
    await pickDoor(fixture, el, 'st-2');
    const req = await submit(fixture, el, `${QR}\n`);
    expect(JSON.parse(req.request.body as string)).toEqual({ qr: QR, showtimeId: 'st-2' });
    expect(req.request.headers.get('Authorization')).toBe('Bearer tok');
    req.flush(JSON.stringify({
      ticketId: 't-1', orderId: 'ord-1', showtimeId: 'st-1', movieTitle: 'Linha de Fogo', roomName: 'Sala 3',
      startsAt: '2026-11-29T22:35:00Z', seatId: 'F13', seatType: 'STANDARD', ticketType: 'MEIA_ESTUDANTE', meia: true,
      proof: 'Carteira de Identificação Estudantil (CIE) válida', checkedInAt: '2026-11-29T22:20:00Z',
    }), { status: 201, statusText: 'Created' });
    await settle(fixture);
    const result = norm(el.querySelector('[data-testid="check-in-result"]')?.textContent);
    expect(result).toContain('Entrada liberada');
    expect(result).toContain('Assento F13 · Meia-entrada estudante');
    expect(norm(el.querySelector('[data-testid="meia-flag"]')?.textContent)).toBe(
      'Meia-entrada: peça o documento. Carteira de Identificação Estudantil (CIE) válida');
    expect(el.querySelector('textarea')!.value).toBe('');
  });

  it('a ticket used before: when, in São Paulo time', async () => {
    const { fixture, el } = open(['buyer', 'staff']);
    await pickDoor(fixture, el);
    (await submit(fixture, el, QR)).flush(...problem(409, 'ticket_already_used', { usedAt: '2026-03-19T22:12:40Z' }));
    await settle(fixture);
    const result = norm(el.querySelector('[data-testid="check-in-result"]')?.textContent);
    expect(result).toBe('Ingresso já utilizadoUsado às 19:12 de 19/03/2026. Não libere a entrada.');
  });

  it('a code that is not a ticket of the chain, and a cancelled one', async () => {
    const { fixture, el } = open(['staff']);
    await pickDoor(fixture, el);
    (await submit(fixture, el, 'BLT1.forged.sig')).flush(...problem(422, 'invalid_ticket'));
    await settle(fixture);
    expect(norm(el.querySelector('[data-testid="check-in-result"] h2')?.textContent)).toBe('Ingresso inválido');
    (await submit(fixture, el, QR)).flush(...problem(409, 'ticket_not_valid'));
    await settle(fixture);
    expect(norm(el.querySelector('[data-testid="check-in-result"] h2')?.textContent)).toBe('Ingresso não vale para esta entrada');
  });

  it('a ticket of another showtime, or outside its door\'s time: the server names its showtime', async () => {
    const { fixture, el } = open(['staff']);
    await pickDoor(fixture, el);
    const result = () => norm(el.querySelector('[data-testid="check-in-result"]')?.textContent);
    (await submit(fixture, el, QR)).flush(...problem(409, 'wrong_showtime',
      { detail: 'este ingresso é de outra sessão: Filme, Sala 1, Cinema, em 04/12/2026 às 21:00' }));
    await settle(fixture);
    expect(result()).toBe('Ingresso de outra sessão' +
      'Este ingresso é de outra sessão: Filme, Sala 1, Cinema, em 04/12/2026 às 21:00. Não libere a entrada.');
    (await submit(fixture, el, QR)).flush(...problem(422, 'outside_check_in_window',
      { detail: 'a entrada da sessão de Filme, Sala 1, Cinema, em 04/12/2026 às 21:00 abre às 20:00' }));
    await settle(fixture);
    expect(result()).toBe('Fora do horário de entrada' +
      'A entrada da sessão de Filme, Sala 1, Cinema, em 04/12/2026 às 21:00 abre às 20:00. Não libere a entrada.');
  });

  it('a buyer sees "Acesso restrito" and no form', () => {
    const { el } = open(['buyer']);
    expect(norm(el.querySelector('[data-testid="check-in-restricted"]')?.textContent)).toContain('Acesso restrito');
    expect(el.querySelector('textarea')).toBeNull();
    http.expectNone(() => true);
  });
});
