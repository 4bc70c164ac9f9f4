import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, type TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { authInterceptor } from '../account/auth.interceptor';
import { AuthService } from '../account/auth.service';
import type { Schemas } from '../api/api-client';
import { CounterPage, PICKUP_CODE, handedOverWhen, normalizePickupCode, pickupLineDetail } from './counter-page';

const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();
/** The text of a node as read, a space between its parts (a heading and its paragraph). */
function words(node: Node | null | undefined): string {
  if (!node) return '';
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  const parts: string[] = [];
  while (walker.nextNode()) parts.push(walker.currentNode.textContent ?? '');
  return norm(parts.join(' '));
}
const CINEMAS = { items: [{ id: 'paulista', name: 'Bilhetagem Paulista' }, { id: 'morumbi', name: 'Bilhetagem Morumbi' }] };
/** The counter's clock: 20:00 of 19/03/2026 in São Paulo, the evening the lines below are handed over. */
const NOW = new Date('2026-03-19T23:00:00Z');

const PICKUP: Schemas['Pickup'] = {
  code: 'K7M2Q9',
  orderId: 'ord-1',
  cinemaId: 'paulista',
  movieTitle: 'O Agente Secreto',
  startsAt: '2026-03-19T22:30:00Z',
  lines: [
    { index: 0, name: 'Pipoca Salgada', size: 'G', flavours: ['Manteiga'], quantity: 1 },
    { index: 1, name: 'Refrigerante', size: 'M', flavours: ['Guaraná'], quantity: 2, redeemedAt: '2026-03-19T22:05:12Z', redeemedBy: 'Carla (balcão)' },
    { index: 2, name: 'Água Mineral', size: 'UN', flavours: ['Sem gás'], quantity: 2 },
  ],
  remaining: 2,
};
/** The pickup once `indexes` are handed over at `at` by Ana. */
function handed(indexes: number[], at = '2026-03-19T22:41:00Z', by = 'Ana Souza'): Schemas['Pickup'] {
  const lines = PICKUP.lines.map((l) => (indexes.includes(l.index) ? { ...l, redeemedAt: at, redeemedBy: by } : l));
  return { ...PICKUP, lines, remaining: lines.filter((l) => !l.redeemedAt).length };
}

describe('normalizing a pickup code', () => {
  it('drops spaces and line breaks and reads it in uppercase', () => {
    expect(normalizePickupCode(' k7m 2q9\n')).toBe('K7M2Q9');
    expect(normalizePickupCode('K7M2Q9')).toBe('K7M2Q9');
    expect(normalizePickupCode('  ')).toBe('');
  });

  it('takes six of 23456789ABCDEFGHJKLMNPQRSTUVWXYZ, nothing else', () => {
    expect(PICKUP_CODE.test('K7M2Q9')).toBe(true);
    expect(PICKUP_CODE.test('ZZZZ22')).toBe(true);
    for (const bad of ['K7M2Q0', 'K7M2QO', 'K7M2Q1', 'K7M2QI', 'K7M2Q', 'K7M2Q9A', 'k7m2q9', 'K7M-Q9']) {
      expect(PICKUP_CODE.test(bad), bad).toBe(false);
    }
  });

  it('says a line\'s size and flavours, but not the single size, and when and by whom it was handed over', () => {
    expect(pickupLineDetail(PICKUP.lines[0])).toBe('Tamanho G · Manteiga');
    expect(pickupLineDetail(PICKUP.lines[2])).toBe('Sem gás');
    expect(pickupLineDetail({ index: 0, name: 'Chocolate', flavours: [], quantity: 1 })).toBe('');
    expect(handedOverWhen('2026-03-19T22:05:12Z', 'Carla', NOW)).toBe('às 19:05 por Carla');
    expect(handedOverWhen('2026-03-19T02:55:00Z', 'Carla', NOW)).toBe('às 23:55 de 18/03/2026 por Carla');
  });
});

describe('Bomboniere counter (staff)', () => {
  let http: HttpTestingController;
  const settle = async (fixture: { detectChanges(): void }) => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r));
      fixture.detectChanges();
    }
  };

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    sessionStorage.clear();
  });
  afterEach(() => {
    vi.useRealTimers();
    // Nothing left unanswered, and nothing sent that the test did not expect (and the next test starts afresh either way).
    try {
      http?.verify();
    } finally {
      TestBed.resetTestingModule();
    }
  });

  function open(roles: ('buyer' | 'staff')[]) {
    sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 60_000 }));
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    TestBed.inject(AuthService).me.set({ sub: 'user-carla', email: 'carla@exemplo.com.br', name: 'Carla Mendes', roles });
    const fixture = TestBed.createComponent(CounterPage);
    fixture.detectChanges();
    return { fixture, el: fixture.nativeElement as HTMLElement };
  }

  type Fixture = ReturnType<typeof open>['fixture'];

  /** Answers the cinemas and picks the counter's. */
  async function pickCinema(fixture: Fixture, el: HTMLElement, cinemaId = 'paulista') {
    await settle(fixture);
    http.expectOne((r) => r.method === 'GET' && r.url.endsWith('/api/cinemas')).flush(JSON.stringify(CINEMAS));
    await settle(fixture);
    const select = el.querySelector<HTMLSelectElement>('#counter-cinema')!;
    select.value = cinemaId;
    select.dispatchEvent(new Event('change'));
    await settle(fixture);
  }

  async function type(fixture: Fixture, el: HTMLElement, text: string) {
    const input = el.querySelector<HTMLInputElement>('#pickup-code')!;
    input.value = text;
    input.dispatchEvent(new Event('input'));
    await settle(fixture);
  }

  /** Types `text` and presses Consultar código; answers the pickup's look-up. */
  async function lookUp(fixture: Fixture, el: HTMLElement, text: string): Promise<TestRequest> {
    await type(fixture, el, text);
    el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await settle(fixture);
    return http.expectOne((r) => r.method === 'GET' && r.url.includes('/api/pickups/'));
  }

  /** Looks K7M2Q9 up and answers `pickup`. */
  async function showPickup(fixture: Fixture, el: HTMLElement, pickup = PICKUP) {
    (await lookUp(fixture, el, 'K7M2Q9')).flush(JSON.stringify(pickup));
    await settle(fixture);
  }

  function button(el: HTMLElement, name: RegExp): HTMLButtonElement {
    const found = [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => name.test(norm(b.textContent)));
    if (!found) throw new Error(`no button ${name}`);
    return found;
  }

  const result = (el: HTMLElement) => words(el.querySelector('[data-testid="counter-result"]'));
  const state = (el: HTMLElement) => el.querySelector('[data-testid="counter-result"] [data-state]')?.getAttribute('data-state');
  const lines = (el: HTMLElement) => [...el.querySelectorAll('[data-testid="pickup-line"]')].map(words);

  const created = (body: Schemas['Pickup']) => [JSON.stringify(body), { status: 201, statusText: 'Created' }] as const;
  const problem = (status: number, code: string, extra = {}) => [
    JSON.stringify({ type: `/problems/${code}`, title: 'x', status, code, ...extra }),
    { status, statusText: 'x', headers: { 'Content-Type': 'application/problem+json' } },
  ] as const;

  it('picks its cinema first and keeps it for the tab; no code is looked up until it does', async () => {
    const first = open(['staff']);
    await settle(first.fixture);
    http.expectOne((r) => r.url.endsWith('/api/cinemas')).flush(JSON.stringify(CINEMAS));
    await settle(first.fixture);
    const options = [...first.el.querySelectorAll<HTMLOptionElement>('#counter-cinema option')].map((o) => norm(o.textContent));
    expect(options).toEqual(['Escolha o cinema', 'Bilhetagem Paulista', 'Bilhetagem Morumbi']);
    await type(first.fixture, first.el, 'K7M2Q9');
    expect(first.el.querySelector<HTMLButtonElement>('button[type="submit"]')!.disabled).toBe(true);
    const select = first.el.querySelector<HTMLSelectElement>('#counter-cinema')!;
    select.value = 'morumbi';
    select.dispatchEvent(new Event('change'));
    await settle(first.fixture);
    expect(first.el.querySelector<HTMLButtonElement>('button[type="submit"]')!.disabled).toBe(false);
    expect(JSON.parse(sessionStorage.getItem('bilhetagem.counter')!)).toEqual({ cinemaId: 'morumbi' });
    first.fixture.destroy();

    // A reload of the tab: the counter is still Morumbi's.
    const again = TestBed.createComponent(CounterPage);
    again.detectChanges();
    await settle(again);
    http.expectOne((r) => r.url.endsWith('/api/cinemas')).flush(JSON.stringify(CINEMAS));
    await settle(again);
    expect((again.nativeElement as HTMLElement).querySelector<HTMLSelectElement>('#counter-cinema')!.value).toBe('morumbi');
  });

  it('a code typed in lowercase with spaces is read as the code, at the counter\'s cinema, and lists each line with its state', async () => {
    const { fixture, el } = open(['staff']);
    await pickCinema(fixture, el, 'paulista');
    const req = await lookUp(fixture, el, ' k7m 2q9 ');
    const url = new URL(req.request.urlWithParams);
    expect(url.pathname).toBe('/api/pickups/K7M2Q9');
    expect(url.searchParams.get('cinemaId')).toBe('paulista');
    expect(req.request.headers.get('Authorization')).toBe('Bearer tok');
    req.flush(JSON.stringify(PICKUP));
    await settle(fixture);
    expect(el.querySelector<HTMLInputElement>('#pickup-code')!.value).toBe('K7M2Q9');
    expect(state(el)).toBe('found');
    expect(result(el)).toBe('Falta entregar 2 de 3 itens.');
    expect(norm(el.querySelector('#pickup-title')?.textContent)).toBe('Código K7M2Q9');
    expect(norm(el.querySelector('[data-testid="counter-pickup"] .movie')?.textContent)).toBe('O Agente Secreto · qui., 19/03 · 19:30');
    expect(lines(el)).toEqual([
      '1× Pipoca Salgada Tamanho G · Manteiga A entregar',
      '2× Refrigerante Tamanho M · Guaraná Entregue às 19:05 por Carla (balcão)',
      '2× Água Mineral Sem gás A entregar',
    ]);
    // A checkbox to pick each line still to hand over, none for the one handed over.
    const boxes = [...el.querySelectorAll<HTMLInputElement>('[data-testid="pickup-line"] input[type="checkbox"]')];
    expect(boxes.map((b) => b.closest('li')!.getAttribute('data-index'))).toEqual(['0', '2']);
    expect(button(el, /^Entregar selecionados/).disabled).toBe(true);
    // The counter goes on from the pickup.
    expect(document.activeElement?.id).toBe('pickup-title');
  });

  it('"Entregar selecionados" sends exactly the lines picked, then shows what was handed over now', async () => {
    const { fixture, el } = open(['staff']);
    await pickCinema(fixture, el);
    await showPickup(fixture, el, { ...PICKUP, lines: PICKUP.lines.map((l) => ({ ...l, redeemedAt: undefined, redeemedBy: undefined })), remaining: 3 });
    const box = (i: number) => el.querySelector<HTMLInputElement>(`[data-index="${i}"] input[type="checkbox"]`)!;
    for (const i of [2, 1, 0]) box(i).click();
    box(1).click(); // changed their mind about the soda
    await settle(fixture);
    expect(norm(button(el, /^Entregar selecionados/).textContent)).toBe('Entregar selecionados (2)');
    button(el, /^Entregar selecionados/).click();
    await settle(fixture);
    const req = http.expectOne((r) => r.method === 'POST' && r.url.endsWith('/api/pickups/K7M2Q9/redemptions'));
    expect(JSON.parse(req.request.body as string)).toEqual({ cinemaId: 'paulista', lines: [0, 2] });
    expect(req.request.headers.get('Authorization')).toBe('Bearer tok');
    const after = handed([0, 2]);
    after.lines[1] = { ...after.lines[1], redeemedAt: undefined, redeemedBy: undefined };
    req.flush(...created({ ...after, remaining: 1 }));
    await settle(fixture);
    expect(state(el)).toBe('handed');
    expect(result(el)).toBe('Itens entregues Entregue agora: 1× Pipoca Salgada, 2× Água Mineral. Falta entregar 1 de 3 itens.');
    expect(lines(el)).toEqual([
      '1× Pipoca Salgada Tamanho G · Manteiga Entregue às 19:41 por Ana Souza',
      '2× Refrigerante Tamanho M · Guaraná A entregar',
      '2× Água Mineral Sem gás Entregue às 19:41 por Ana Souza',
    ]);
    expect(document.activeElement?.getAttribute('data-testid')).toBe('next-code');
  });

  it('"Entregar tudo" sends no lines, and once nothing is left no button offers more', async () => {
    const { fixture, el } = open(['staff']);
    await pickCinema(fixture, el);
    await showPickup(fixture, el);
    button(el, /^Entregar tudo$/).click();
    await settle(fixture);
    const req = http.expectOne((r) => r.method === 'POST' && r.url.endsWith('/api/pickups/K7M2Q9/redemptions'));
    expect(JSON.parse(req.request.body as string)).toEqual({ cinemaId: 'paulista' });
    req.flush(...created(handed([0, 2])));
    await settle(fixture);
    expect(result(el)).toBe('Itens entregues Entregue agora: 1× Pipoca Salgada, 2× Água Mineral. Tudo deste código foi entregue.');
    expect(lines(el)[1]).toBe('2× Refrigerante Tamanho M · Guaraná Entregue às 19:05 por Carla (balcão)');
    expect([...el.querySelectorAll('button')].map((b) => norm(b.textContent))).toEqual(['Consultar código', 'Próximo código']);
  });

  it('409 pickup_already_redeemed: who handed them over and when, from the problem; the lines are read again', async () => {
    const { fixture, el } = open(['staff']);
    await pickCinema(fixture, el);
    await showPickup(fixture, el);
    button(el, /^Entregar tudo$/).click();
    await settle(fixture);
    http.expectOne((r) => r.method === 'POST' && r.url.endsWith('/redemptions'))
      .flush(...problem(409, 'pickup_already_redeemed', { redeemedAt: '2026-03-19T22:39:30Z', redeemedBy: 'Bruno Lima' }));
    await settle(fixture);
    expect(state(el)).toBe('already');
    expect(result(el)).toBe('Itens já entregues Já entregue às 19:39 por Bruno Lima. Não entregue de novo.');
    expect(el.querySelector('[data-testid="counter-result"] [role="alert"]')?.textContent).toContain('Já entregue às 19:39 por Bruno Lima');
    const reread = http.expectOne((r) => r.method === 'GET' && r.url.includes('/api/pickups/K7M2Q9'));
    expect(new URL(reread.request.urlWithParams).searchParams.get('cinemaId')).toBe('paulista');
    reread.flush(JSON.stringify(handed([0, 2], '2026-03-19T22:39:30Z', 'Bruno Lima')));
    await settle(fixture);
    expect(lines(el)[0]).toBe('1× Pipoca Salgada Tamanho G · Manteiga Entregue às 19:39 por Bruno Lima');
    expect(el.querySelectorAll('[data-testid="pickup-line"] input')).toHaveLength(0);
    expect(document.activeElement?.getAttribute('data-testid')).toBe('next-code');
  });

  it('a code whose lines were all handed over: already, by the last one to, with the day when it was not today', async () => {
    const { fixture, el } = open(['staff']);
    await pickCinema(fixture, el);
    await showPickup(fixture, el, handed([0, 2], '2026-03-19T02:55:00Z', 'Ana Souza'));
    // Line 1 went at 19:05 today, lines 0 and 2 at 23:55 the day before: the last is today's.
    expect(result(el)).toBe('Itens já entregues Já entregue às 19:05 por Carla (balcão). Não entregue de novo.');
    expect(lines(el)[0]).toBe('1× Pipoca Salgada Tamanho G · Manteiga Entregue às 23:55 de 18/03/2026 por Ana Souza');
    expect(el.querySelectorAll('[data-testid="pickup-line"] input')).toHaveLength(0);
    expect(() => button(el, /^Entregar tudo$/)).toThrow();
  });

  it('422 pickup_wrong_cinema names the order\'s cinema; 409 pickup_not_valid and 404 each say so; the code stays to correct', async () => {
    const { fixture, el } = open(['staff']);
    await pickCinema(fixture, el);
    (await lookUp(fixture, el, 'K7M2Q9')).flush(...problem(422, 'pickup_wrong_cinema',
      { detail: 'este código é de um pedido do Bilhetagem Morumbi; a retirada é feita lá' }));
    await settle(fixture);
    expect(state(el)).toBe('pickup_wrong_cinema');
    expect(result(el)).toBe('Retirada de outro cinema Este código é de um pedido do Bilhetagem Morumbi; a retirada é feita lá.');
    expect(el.querySelector('[data-testid="counter-pickup"]')).toBeNull();
    expect(document.activeElement?.id).toBe('pickup-code');

    (await lookUp(fixture, el, 'K7M2Q9')).flush(...problem(409, 'pickup_not_valid',
      { detail: 'o pedido deste código foi estornado; não entregue os itens' }));
    await settle(fixture);
    expect(state(el)).toBe('pickup_not_valid');
    expect(result(el)).toBe('Pedido cancelado O pedido deste código foi estornado; não entregue os itens.');

    (await lookUp(fixture, el, 'K7M2Q8')).flush(...problem(404, 'pickup_not_found',
      { detail: 'nenhum pedido pago com itens da bomboniere tem o código K7M2Q8; confira o código com o cliente' }));
    await settle(fixture);
    expect(state(el)).toBe('pickup_not_found');
    expect(result(el)).toBe('Código de retirada não encontrado ' +
      'Nenhum pedido pago com itens da bomboniere tem o código K7M2Q8; confira o código com o cliente.');
    expect(el.querySelector<HTMLInputElement>('#pickup-code')!.value).toBe('K7M2Q8');
  });

  it('a refund meanwhile: handing over is refused and nothing is left to pick', async () => {
    const { fixture, el } = open(['staff']);
    await pickCinema(fixture, el);
    await showPickup(fixture, el);
    button(el, /^Entregar tudo$/).click();
    await settle(fixture);
    http.expectOne((r) => r.method === 'POST' && r.url.endsWith('/redemptions'))
      .flush(...problem(409, 'pickup_not_valid', { detail: 'o pedido deste código foi estornado; não entregue os itens' }));
    await settle(fixture);
    expect(result(el)).toBe('Pedido cancelado O pedido deste código foi estornado; não entregue os itens.');
    expect(el.querySelector('[data-testid="counter-pickup"]')).toBeNull();
  });

  it('a code that cannot be one is not sent; one the API refuses as malformed says the same', async () => {
    const { fixture, el } = open(['staff']);
    await pickCinema(fixture, el);
    await type(fixture, el, 'K7M2Q0');
    el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await settle(fixture);
    http.expectNone((r) => r.url.includes('/api/pickups/'));
    expect(state(el)).toBe('invalid');
    expect(result(el)).toBe('Código inválido O código de retirada tem 6 letras e números, sem 0, O, 1 ou I. Confira o código com o cliente.');
    (await lookUp(fixture, el, 'K7M2Q9')).flush(...problem(400, 'validation_failed'));
    await settle(fixture);
    expect(state(el)).toBe('invalid');
  });

  it('403 from the API (not staff after all): "Acesso restrito"', async () => {
    const { fixture, el } = open(['staff']);
    await pickCinema(fixture, el);
    (await lookUp(fixture, el, 'K7M2Q9')).flush(...problem(403, 'forbidden'));
    await settle(fixture);
    expect(words(el.querySelector('[data-testid="counter-result"] app-notice'))).toBe(
      'Acesso restrito Sua conta não tem acesso a esta área.');
  });

  it('"Próximo código" empties the counter for the next buyer; another cinema clears what was read for this one', async () => {
    const { fixture, el } = open(['staff']);
    await pickCinema(fixture, el);
    await showPickup(fixture, el);
    button(el, /^Próximo código$/).click();
    await settle(fixture);
    expect(el.querySelector<HTMLInputElement>('#pickup-code')!.value).toBe('');
    expect(result(el)).toBe('');
    expect(el.querySelector('[data-testid="counter-pickup"]')).toBeNull();
    expect(document.activeElement?.id).toBe('pickup-code');

    await showPickup(fixture, el);
    const select = el.querySelector<HTMLSelectElement>('#counter-cinema')!;
    select.value = 'morumbi';
    select.dispatchEvent(new Event('change'));
    await settle(fixture);
    expect(el.querySelector('[data-testid="counter-pickup"]')).toBeNull();
  });

  it('a buyer sees "Acesso restrito" and no form', () => {
    const { el } = open(['buyer']);
    expect(words(el.querySelector('[data-testid="counter-restricted"]'))).toBe(
      'Acesso restrito O balcão da bomboniere é só para a equipe dos cinemas.');
    expect(el.querySelector('#pickup-code')).toBeNull();
    http.expectNone(() => true);
  });
});
