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
  salesOpen: true, cancelled: false, meiaRemaining: 1, gapPolicy: 'WARN',
  availability: { capacity: 3, available: 2, held: 0, sold: 1, blocked: 0 },
  seatMap: { layoutVersion: 1, width: 3, height: 1, seats: [
    { id: 'F1', row: 'F', number: 1, x: 0, y: 0, type: 'STANDARD', status: 'AVAILABLE', yours: false },
    { id: 'F2', row: 'F', number: 2, x: 1, y: 0, type: 'STANDARD', status: 'AVAILABLE', yours: false },
    { id: 'F3', row: 'F', number: 3, x: 2, y: 0, type: 'STANDARD', status: 'SOLD', yours: false },
  ] },
};

const ticketTypes: Schemas['TicketTypeList'] = {
  showtimeId: showtime.id, promo: false, regularPrice: { amount: 3600, currency: 'BRL' },
  items: [
    { code: 'INTEIRA', label: 'Inteira', meia: false, price: { amount: 3600, currency: 'BRL' }, proof: '' },
    { code: 'MEIA_ESTUDANTE', label: 'Meia-entrada estudante', meia: true, price: { amount: 1800, currency: 'BRL' },
      proof: 'Carteira de Identificação Estudantil (CIE) válida' },
  ],
  seatSurcharges: [{ seatType: 'VIP', amount: { amount: 1500, currency: 'BRL' } }],
  convenienceFee: { amount: 400, currency: 'BRL' },
};

const seat = (id: string, ticketType: Schemas['TicketTypeCode'], cents: number): Schemas['HeldSeat'] => ({
  seatId: id, row: 'F', number: Number(id.slice(1)), seatType: 'STANDARD', ticketType, meia: ticketType !== 'INTEIRA',
  ticketPrice: { amount: cents, currency: 'BRL' }, surcharge: { amount: 0, currency: 'BRL' }, price: { amount: cents, currency: 'BRL' },
});

const inTenMinutes = () => new Date(Date.now() + 10 * 60_000).toISOString();
const hold = (over: Partial<Schemas['Hold']> = {}): Schemas['Hold'] => ({
  id: 'h-abc', showtimeId: showtime.id, status: 'ACTIVE', seats: [seat('F1', 'INTEIRA', 3600), seat('F2', 'MEIA_ESTUDANTE', 1800)],
  meiaCount: 1, total: { amount: 5400, currency: 'BRL' }, createdAt: new Date().toISOString(), expiresAt: inTenMinutes(),
  warnings: [{ code: 'ISOLATED_SEAT', message: 'Sua escolha deixa o assento F3 vazio e isolado.', seats: ['F3'] }],
  ...over,
});

/** Text with any run of spaces (the NBSP in "R$ 36,00" too) as one plain space. */
const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();

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

  function setup(signedIn: boolean, savedHold?: string) {
    sessionStorage.clear();
    if (savedHold) sessionStorage.setItem('bilhetagem.hold', JSON.stringify({ id: savedHold, showtimeId: showtime.id }));
    if (signedIn) sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 60_000 }));
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    const fixture = TestBed.createComponent(SeatSelectionPage);
    fixture.componentRef.setInput('showtimeId', showtime.id);
    return fixture;
  }

  async function load(fixture: ReturnType<typeof setup>, st: Schemas['ShowtimeDetail'] = showtime) {
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith(`/api/showtimes/${showtime.id}`)).flush(JSON.stringify(st));
    http.expectOne((r) => r.url.endsWith('/ticket-types')).flush(JSON.stringify(ticketTypes));
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

  it('a showtime the cinema cancelled says so, not that sales closed, and Reservar stays off', async () => {
    const fixture = setup(true);
    const el = await load(fixture, { ...showtime, salesOpen: false, cancelled: true });
    expect(el.querySelector('[data-testid="showtime-cancelled"]')?.textContent).toContain('Sessão cancelada pelo cinema');
    expect(el.textContent).not.toContain('Vendas encerradas');
    click(el, '[data-seat="F1"]');
    await settle(fixture);
    expect(reserveButton(el).disabled).toBe(true);
  });

  it('a showtime past its sales window says sales closed', async () => {
    const el = await load(setup(true), { ...showtime, salesOpen: false });
    expect(el.textContent).toContain('Vendas encerradas');
    expect(el.querySelector('[data-testid="showtime-cancelled"]')).toBeNull();
  });

  describe('a pick that leaves a seat isolated (F3 is sold)', () => {
    const warning = (el: HTMLElement) => el.querySelector<HTMLElement>('.bar [data-testid="gap-warning"]');

    it('at a BLOCK cinema: says so beside Reservar before the tap, names the seat and the way out; Reservar stays on', async () => {
      const fixture = setup(true);
      const el = await load(fixture, { ...showtime, gapPolicy: 'BLOCK' });
      expect(warning(el)).toBeNull();
      click(el, '[data-seat="F2"]');
      await settle(fixture);
      expect(norm(warning(el)?.textContent)).toBe(
        'Essa escolha deixa a poltrona F1 isolada, e este cinema não reserva assim. Inclua F1 ou escolha outros lugares.');
      expect(warning(el)?.dataset['policy']).toBe('BLOCK');
      expect(warning(el)?.closest('[aria-live="polite"]')).not.toBeNull();
      expect(reserveButton(el).disabled).toBe(false);
      expect(reserveButton(el).getAttribute('aria-describedby')).toBe('gap-warning');
      // Taking F1 too leaves no one alone.
      click(el, '[data-seat="F1"]');
      await settle(fixture);
      expect(warning(el)).toBeNull();
      expect(reserveButton(el).getAttribute('aria-describedby')).toBeNull();
    });

    it('at a WARN cinema: says it will hold anyway', async () => {
      const fixture = setup(true);
      const el = await load(fixture);
      click(el, '[data-seat="F1"]');
      await settle(fixture);
      expect(norm(warning(el)?.textContent)).toBe(
        'Essa escolha deixa a poltrona F2 isolada. Este cinema reserva assim mesmo; se puder, inclua F2 ou escolha outros lugares.');
      expect(warning(el)?.dataset['policy']).toBe('WARN');
      expect(reserveButton(el).disabled).toBe(false);
    });
  });

  it("prices each ticket type on a VIP seat with the seat's surcharge, as the hold will", async () => {
    const vip = structuredClone(showtime);
    vip.seatMap.seats[1].type = 'VIP';
    const fixture = setup(true);
    const el = await load(fixture, vip);
    click(el, '[data-seat="F2"]');
    await settle(fixture);
    const select = el.querySelector<HTMLSelectElement>('#tt-F2')!;
    expect([...select.options].slice(0, 2).map((o) => norm(o.textContent))).toEqual(['Inteira — R$ 51,00', 'Meia-entrada estudante — R$ 33,00']);
    expect(norm(el.querySelector('.bar .total')?.textContent)).toBe('· R$ 55,00');
  });

  it('shows the price of each ticket type, the proof a meia needs at the door, and an estimate', async () => {
    const fixture = setup(true);
    const el = await load(fixture);
    const prices = [...el.querySelectorAll('[data-testid="prices"] li')].map((li) =>
      [...li.children].map((c) => norm(c.textContent)).join(' | '));
    expect(prices).toEqual([
      'Inteira | R$ 36,00',
      'Meia-entrada estudante | R$ 18,00 | Apresente na entrada: Carteira de Identificação Estudantil (CIE) válida',
      'Adicional VIP, por assento | + R$ 15,00',
    ]);
    click(el, '[data-seat="F1"]');
    await settle(fixture);
    const select = el.querySelector<HTMLSelectElement>('#tt-F1')!;
    expect([...select.options].map((o) => norm(o.textContent))).toEqual(['Inteira — R$ 36,00', 'Meia-entrada estudante — R$ 18,00',
      'Meia-entrada 60+', 'Meia-entrada pessoa com deficiência', 'Meia-entrada acompanhante de PcD', 'Meia-entrada professor da rede pública de SP']);
    select.value = 'MEIA_ESTUDANTE';
    select.dispatchEvent(new Event('change'));
    await settle(fixture);
    expect(el.querySelector('.picks .proof')?.textContent).toBe('Na entrada: Carteira de Identificação Estudantil (CIE) válida');
    expect(norm(el.querySelector('.bar .total')?.textContent)).toBe('· R$ 22,00');
  });

  it('shows the estimated total before Reservar: the tickets plus the convenience fee per ticket, in BRL', async () => {
    const fixture = setup(true);
    const el = await load(fixture, { ...showtime, gapPolicy: 'WARN' });
    expect(el.querySelector('[data-testid="estimate"]')).toBeNull();
    click(el, '[data-seat="F1"]');
    click(el, '[data-seat="F2"]');
    await settle(fixture);
    const lines = [...el.querySelectorAll('[data-testid="estimate"] .line')].map((l) =>
      [norm(l.querySelector('dt')?.textContent), norm(l.querySelector('dd')?.textContent)]);
    expect(lines).toEqual([['Ingressos 2 ingressos', 'R$ 72,00'], ['Taxa de conveniência 2 × R$ 4,00', 'R$ 8,00'], ['Total', 'R$ 80,00']]);
    expect(norm(el.querySelector('[data-testid="estimate"] h2')?.textContent)).toBe('Total estimado');
    // The bar beside Reservar says the same total, and a screen reader hears that it includes the fee.
    expect(norm(el.querySelector('.bar .count')?.textContent)).toBe('2 assentos · R$ 80,00 estimados, com a taxa de conveniência');
  });

  it('asks createHold for the picked seats and, on 201, keeps the hold id and goes on to the bomboniere step', async () => {
    const fixture = setup(true);
    const el = await load(fixture);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
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
    req.flush(JSON.stringify(hold()), { status: 201, statusText: 'Created' });
    await settle(fixture);
    expect(navigate).toHaveBeenCalledWith(['/compra/bomboniere']);
    expect(JSON.parse(sessionStorage.getItem('bilhetagem.hold')!)).toEqual({ id: 'h-abc', showtimeId: showtime.id });
    // The map is read again with the hold id, so its seats come back as yours.
    http.expectOne((r) => r.url.endsWith(`/api/showtimes/${showtime.id}?holdId=h-abc`));
  });

  it('on meia_cap_reached says how many are left, in pt-BR, and reloads the map for the new count', async () => {
    // jsdom has no scrollIntoView: record where the page would scroll.
    const scrolled = vi.fn();
    Element.prototype.scrollIntoView = scrolled;
    onTestFinished(() => {
      delete (Element.prototype as Partial<Element>).scrollIntoView;
    });
    const fixture = setup(true);
    const el = await load(fixture);
    click(el, '[data-seat="F1"]');
    await settle(fixture);
    const select = el.querySelector<HTMLSelectElement>('#tt-F1')!;
    select.value = 'MEIA_ESTUDANTE';
    select.dispatchEvent(new Event('change'));
    await settle(fixture);
    reserveButton(el).click();
    await settle(fixture);
    const p = problem(422, 'meia_cap_reached', { title: 'Não processável', detail: 'restam 0 meias-entradas nesta sessão; a reserva pedia 1' });
    http.expectOne((r) => r.url.endsWith('/api/holds')).flush(p.body, p.opts);
    await settle(fixture);
    const notice = el.querySelector('[data-testid="hold-problem"]')!;
    expect(notice.querySelector('[data-code]')?.getAttribute('data-code')).toBe('meia_cap_reached');
    expect(notice.textContent).toContain('Meia-entrada esgotada');
    expect(notice.textContent).toContain('Restam 0 meias-entradas nesta sessão; a reserva pedia 1.');
    expect(notice.textContent).not.toContain('Não processável');
    expect(document.activeElement).toBe(notice.querySelector('.notice')); // the refusal takes the focus, where the buyer is
    // …and is scrolled to sit just above the fixed bar with Reservar, clear of it.
    expect(scrolled).toHaveBeenCalledWith({ block: 'end', behavior: 'smooth' });
    expect(scrolled.mock.contexts[0]).toBe(notice.querySelector('.notice'));
    expect(notice.querySelector<HTMLElement>('.notice')!.style.scrollMarginBottom).toBe('12px'); // jsdom: a bar 0 px high
    http.expectOne((r) => r.url.endsWith(`/api/showtimes/${showtime.id}`)).flush(JSON.stringify({ ...showtime, meiaRemaining: 0 }));
    await settle(fixture);
    expect(el.querySelector('[data-testid="meia-remaining"]')?.textContent).toContain('restam 0 nesta sessão');
    expect(el.querySelector('app-countdown')).toBeNull();
  });

  it('reads a hold kept in this tab back after a reload: the seats as yours, the countdown, the server total and warnings; Liberar frees them', async () => {
    const fixture = setup(true, 'h-abc');
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc') && r.method === 'GET').flush(JSON.stringify(hold()));
    http.expectOne((r) => r.url.endsWith('/ticket-types')).flush(JSON.stringify(ticketTypes));
    await settle(fixture);
    const yours = { ...showtime, seatMap: { ...showtime.seatMap, seats: showtime.seatMap.seats.map((s) =>
      s.id === 'F3' ? s : { ...s, status: 'HELD' as const, yours: true }) } };
    // A first read may have left before the hold came back; the one with holdId is what counts.
    for (const r of http.match((r) => r.url.includes(`/api/showtimes/${showtime.id}`) && !r.url.endsWith('/ticket-types'))) {
      r.flush(JSON.stringify(r.request.url.endsWith('?holdId=h-abc') ? yours : showtime));
    }
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    expect([...el.querySelectorAll('button.seat.yours')].map((b) => b.getAttribute('data-seat'))).toEqual(['F1', 'F2']);
    expect(el.querySelector('[data-seat="F1"]')?.getAttribute('aria-label')).toBe('Fileira F, assento 1, padrão, reservado por você');
    expect(el.querySelector('[role="timer"]')?.textContent).toMatch(/^(10|09):\d{2}$/);
    expect(norm(el.querySelector('app-hold-summary .total dd')?.textContent)).toBe('R$ 54,00');
    expect(norm(el.querySelector('[data-testid="estimate-with-fee"]')?.textContent)).toBe(
      'Com a taxa de conveniência (2 × R$ 4,00), R$ 62,00: o pedido confirma o valor.');
    expect(norm(el.querySelector('.bar .total')?.textContent)).toBe('· R$ 62,00');
    expect(el.querySelector('[data-testid="hold-warning"]')?.textContent).toContain('Sua escolha deixa o assento F3 vazio e isolado.');
    expect(el.querySelector('.bar a')?.textContent?.trim()).toBe('Continuar');

    const release = [...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Liberar assentos')!;
    release.click();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc') && r.method === 'DELETE').flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture);
    const fresh = http.expectOne((r) => r.url.endsWith(`/api/showtimes/${showtime.id}`));
    expect(fresh.request.url).not.toContain('holdId');
    fresh.flush(JSON.stringify(showtime));
    await settle(fixture);
    expect(el.querySelectorAll('button.seat.yours')).toHaveLength(0);
    expect(el.querySelector('[role="timer"]')).toBeNull();
    expect(sessionStorage.getItem('bilhetagem.hold')).toBeNull();
    expect(reserveButton(el)).toBeDefined();
  });

  it('when the kept hold has expired, forgets it and says so in pt-BR', async () => {
    const fixture = setup(true, 'h-abc');
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc') && r.method === 'GET').flush(JSON.stringify(hold({ status: 'EXPIRED' })));
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc') && r.method === 'DELETE').flush(null, { status: 204, statusText: 'No Content' });
    http.expectOne((r) => r.url.endsWith('/ticket-types')).flush(JSON.stringify(ticketTypes));
    await settle(fixture);
    for (const r of http.match((r) => r.url.endsWith(`/api/showtimes/${showtime.id}`))) r.flush(JSON.stringify(showtime));
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[data-testid="hold-notice"]')?.textContent).toContain('Sua reserva expirou');
    expect(el.querySelector('[role="timer"]')).toBeNull();
    expect(sessionStorage.getItem('bilhetagem.hold')).toBeNull();
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
    const p = problem(409, 'seat_taken', { title: 'Conflito', detail: 'os assentos F2 acabaram de ser reservados por outra pessoa; escolha outros', seats: ['F2'] });
    http.expectOne((r) => r.url.endsWith('/api/holds')).flush(p.body, p.opts);
    await settle(fixture);
    const notice = el.querySelector('[data-testid="hold-problem"]')?.textContent;
    expect(notice).toContain('Assento indisponível');
    expect(notice).toContain('O assento F2 acabou de ser reservado por outra pessoa. Ele saiu da sua escolha; escolha outro.');
    expect([...el.querySelectorAll('.picks .seat-id')].map((e) => e.textContent)).toEqual(['F1']);
    http.expectOne((r) => r.url.endsWith(`/api/showtimes/${showtime.id}`)).flush(JSON.stringify(showtime));
  });

  it('on active_hold_exists finds the hold made in another tab (listMyHolds) and shows it as the buyer\'s, with Liberar', async () => {
    const fixture = setup(true);
    const el = await load(fixture);
    click(el, '[data-seat="F2"]');
    await settle(fixture);
    reserveButton(el).click();
    await settle(fixture);
    const p = problem(409, 'active_hold_exists', { title: 'Conflito', detail: 'você já tem assentos reservados nesta sessão' });
    http.expectOne((r) => r.url.endsWith('/api/holds') && r.method === 'POST').flush(p.body, p.opts);
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/me/holds')).flush(JSON.stringify({ items: [hold()] }));
    await settle(fixture);
    for (const r of http.match((r) => r.url.includes(`/api/showtimes/${showtime.id}`) && !r.url.endsWith('/ticket-types'))) {
      r.flush(JSON.stringify(showtime));
    }
    await settle(fixture);
    const notice = el.querySelector('[data-testid="hold-problem"]')?.textContent;
    expect(notice).toContain('Você já tinha assentos reservados nesta sessão');
    expect(norm(el.querySelector('app-hold-summary .total dd')?.textContent)).toBe('R$ 54,00');
    expect(JSON.parse(sessionStorage.getItem('bilhetagem.hold')!)).toEqual({ id: 'h-abc', showtimeId: showtime.id });
    expect([...el.querySelectorAll('button')].some((b) => b.textContent?.trim() === 'Liberar assentos')).toBe(true);
  });
});
