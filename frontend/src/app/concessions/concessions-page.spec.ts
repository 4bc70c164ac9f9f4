import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { authInterceptor } from '../account/auth.interceptor';
import { CheckoutPage } from '../checkout/checkout-page';
import type { Schemas } from '../api/api-client';
import { CartStore } from './cart-store';
import { ConcessionsPage } from './concessions-page';

function testHold(over: Partial<Schemas['Hold']> = {}): Schemas['Hold'] {
  return {
    id: 'h-abc', showtimeId: 'st-1', status: 'ACTIVE', meiaCount: 0, warnings: [],
    seats: [{ seatId: 'F1', row: 'F', number: 1, seatType: 'STANDARD', ticketType: 'INTEIRA', meia: false,
      ticketPrice: { amount: 3600, currency: 'BRL' }, surcharge: { amount: 0, currency: 'BRL' }, price: { amount: 3600, currency: 'BRL' } }],
    total: { amount: 3600, currency: 'BRL' }, createdAt: new Date().toISOString(),
    expiresAt: new Date(Date.now() + 10 * 60_000).toISOString(), ...over,
  };
}

const money = (amount: number): Schemas['Money'] => ({ amount, currency: 'BRL' });
const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();
const button = (el: HTMLElement, text: string) =>
  [...el.querySelectorAll('button')].find((b) => norm(b.textContent) === text || b.getAttribute('aria-label') === text) as HTMLButtonElement;

const MENU: Schemas['Product'][] = [
  { id: 'prd-pipoca-salgada', name: 'Pipoca Salgada', description: 'Na hora', category: 'PIPOCA', flavours: [], serves: 1,
    sizes: [{ code: 'P', label: 'Pequena', price: money(1900) }, { code: 'M', label: 'Média', price: money(2100) }, { code: 'G', label: 'Grande', price: money(2300) }] },
  { id: 'prd-refrigerante', name: 'Refrigerante', description: 'Com gelo', category: 'BEBIDA', flavours: ['Cola', 'Guaraná'], serves: 1,
    sizes: [{ code: 'M', label: '500 ml', price: money(1600) }] },
  { id: 'prd-combo-casal', name: 'Combo Casal', description: 'Pipoca G e 2 refrigerantes', category: 'COMBO', flavours: [], serves: 2,
    sizes: [{ code: 'UN', label: 'Único', price: money(4800) }],
    combo: { items: [{ productId: 'prd-pipoca-salgada', size: 'G', quantity: 1 }, { productId: 'prd-refrigerante', size: 'M', quantity: 2 }],
      savings: money(700) } },
];

const problem = (status: number, code: string) => [
  JSON.stringify({ type: `/problems/${code}`, title: 'x', status, code, detail: 'a operação ainda não foi implementada' }),
  { status, statusText: 'x', headers: { 'Content-Type': 'application/problem+json' } },
] as const;

describe('the steps after the seats (bomboniere, pagamento)', () => {
  let http: HttpTestingController;
  const settle = async (fixture: { detectChanges(): void }) => {
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r));
      fixture.detectChanges();
    }
  };

  function setup<T>(page: Type<T>, saved = true) {
    sessionStorage.clear();
    sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 60_000 }));
    if (saved) sessionStorage.setItem('bilhetagem.hold', JSON.stringify({ id: 'h-abc', showtimeId: 'st-1' }));
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    return TestBed.createComponent(page);
  }

  async function withHold(fixture: { detectChanges(): void }, over = {}) {
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc') && r.method === 'GET').flush(JSON.stringify(testHold(over)));
    await settle(fixture);
  }

  it('bomboniere: the countdown, the hold and the server total, and recommendations "ainda não disponível" while they answer 501', async () => {
    const fixture = setup(ConcessionsPage);
    await withHold(fixture);
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc/recommendations?limit=3')).flush(...problem(501, 'not_implemented'));
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[aria-current="step"]')?.textContent).toContain('Bomboniere');
    expect(el.querySelector('[role="timer"]')?.textContent).toMatch(/^(10|09):\d{2}$/);
    expect(el.querySelector('app-hold-summary')?.textContent).toContain('Assento F1');
    expect(el.querySelector('[data-testid="recommendations-problem"]')?.textContent).toContain('Ainda não disponível');
  });

  it('bomboniere: an expired hold sends the buyer back to its seat map', async () => {
    const fixture = setup(ConcessionsPage);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    await withHold(fixture, { status: 'EXPIRED' });
    http.expectOne((r) => r.method === 'DELETE').flush(null, { status: 204, statusText: 'No Content' });
    expect(navigate).toHaveBeenCalledWith(['/sessoes', 'st-1', 'assentos']);
  });

  it('bomboniere: with no hold in this tab, says so instead of a blank step', async () => {
    const fixture = setup(ConcessionsPage, false);
    fixture.detectChanges();
    await settle(fixture);
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Nenhuma reserva em andamento');
  });

  it('bomboniere: suggestions first, the menu by section, lines with flavours and quantity, and the running total', async () => {
    const fixture = setup(ConcessionsPage);
    await withHold(fixture);
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc/recommendations?limit=3')).flush(JSON.stringify({
      holdId: 'h-abc', strategy: 'PERSONALIZED', items: [
        { rank: 1, productId: 'prd-refrigerante', name: 'Refrigerante', category: 'BEBIDA', size: 'M', quantity: 2, price: money(1600),
          reason: 'Para acompanhar o filme.', replaces: [] },
      ],
    }));
    http.expectOne((r) => r.url.endsWith('/api/showtimes/st-1')).flush(JSON.stringify({ id: 'st-1', cinemaId: 'cin-paulista' }));
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/concessions?cinemaId=cin-paulista')).flush(JSON.stringify({ items: MENU }));
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const headings = [...el.querySelectorAll('h2, h3.section')].map((h) => h.textContent?.trim());
    expect(headings.slice(0, 4)).toEqual(['Sugestões para você', 'Sua bomboniere', 'Cardápio', 'Combos']);
    expect(norm(el.querySelector('[data-testid="suggestion"]')?.textContent)).toContain('2× Refrigerante');

    // The suggestion comes in with its quantity and the first flavour; the buyer changes the flavour.
    button(el, 'Adicionar Refrigerante').click();
    await settle(fixture);
    http.expectOne((r) => r.url.includes('/recommendations?limit=3&selected=prd-refrigerante')).flush(JSON.stringify({
      holdId: 'h-abc', strategy: 'PERSONALIZED', items: [
        { rank: 1, productId: 'prd-combo-casal', name: 'Combo Casal', category: 'COMBO', size: 'UN', quantity: 1, price: money(4800),
          reason: 'Combo para 2 economiza R$ 7,00.', savings: money(700), replaces: ['prd-refrigerante'] },
      ],
    }));
    await settle(fixture);
    const line = () => el.querySelector('[data-testid="cart-line"]')!;
    expect(norm(line().textContent)).toContain('Refrigerante');
    expect(el.querySelector<HTMLInputElement>('[data-testid="cart-line"] input')!.value).toBe('2');
    expect(norm(el.querySelector('[data-testid="cart-total"]')?.textContent)).toBe('R$ 32,00');
    const flavour = line().querySelector('select')!;
    flavour.value = 'Guaraná';
    flavour.dispatchEvent(new Event('change'));
    button(el, 'Aumentar a quantidade de Refrigerante').click();
    await settle(fixture);
    expect(norm(el.querySelector('[data-testid="cart-total"]')?.textContent)).toBe('R$ 48,00');
    expect(norm(el.querySelector('[data-testid="cart-announcement"]')?.textContent)).toBe('Refrigerante: 3 unidades. Bomboniere: R$ 48,00.');
    expect(TestBed.inject(CartStore).request()).toEqual([{ productId: 'prd-refrigerante', size: 'M', quantity: 3, flavours: ['Guaraná'] }]);

    // A typed quantity beyond 20 is brought back to 20.
    const qty = el.querySelector<HTMLInputElement>('[data-testid="cart-line"] input')!;
    qty.value = '99';
    qty.dispatchEvent(new Event('change'));
    await settle(fixture);
    expect(qty.value).toBe('20');
    expect(button(el, 'Aumentar a quantidade de Refrigerante').disabled).toBe(true);

    // The bundle suggestion swaps the sodas for the combo.
    await settle(fixture);
    const swap = [...el.querySelectorAll('[data-testid="suggestion"] button')].find((b) => norm(b.textContent).startsWith('Trocar pelo combo'));
    (swap as HTMLButtonElement).click();
    await settle(fixture);
    expect([...el.querySelectorAll('[data-testid="cart-line"] .name')].map((n) => n.textContent)).toEqual(['Combo Casal']);
    expect(norm(el.querySelector('[data-testid="cart-total"]')?.textContent)).toBe('R$ 48,00');

    // Removing the last line empties the cart.
    button(el, 'Remover Combo Casal').click();
    await settle(fixture);
    expect(el.querySelector('[data-testid="cart-line"]')).toBeNull();
    expect(norm(el.querySelector('[data-testid="cart-total"]')?.textContent)).toBe('R$ 0,00');
  });

  it('bomboniere: a menu product added with its size and flavour goes into createOrder on the pagamento step', async () => {
    const fixture = setup(ConcessionsPage);
    await withHold(fixture);
    http.expectOne((r) => r.url.includes('/recommendations')).flush(JSON.stringify({ holdId: 'h-abc', strategy: 'POPULARITY', items: [] }));
    http.expectOne((r) => r.url.endsWith('/api/showtimes/st-1')).flush(JSON.stringify({ id: 'st-1', cinemaId: 'cin-paulista' }));
    await settle(fixture);
    http.expectOne((r) => r.url.includes('/api/concessions')).flush(JSON.stringify({ items: MENU }));
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const card = [...el.querySelectorAll('app-product-card')].find((c) => c.textContent?.includes('Pipoca Salgada'))!;
    card.querySelector<HTMLInputElement>('input[value="G"]')!.click();
    await settle(fixture);
    button(card as HTMLElement, 'Adicionar Pipoca Salgada').click();
    await settle(fixture);
    expect(norm(el.querySelector('[data-testid="cart-line"] .meta')?.textContent)).toBe('Grande · R$ 23,00 cada');
    fixture.destroy();

    // Pagamento in the same tab: the cart is shown and sent; the server's answer is what counts.
    const checkout = TestBed.createComponent(CheckoutPage);
    checkout.detectChanges();
    await settle(checkout);
    const page = checkout.nativeElement as HTMLElement;
    expect(norm(page.querySelector('[data-testid="cart-summary"]')?.textContent)).toContain('1× Pipoca Salgada');
    button(page, 'Criar pedido').click();
    await settle(checkout);
    const req = http.expectOne((r) => r.url.endsWith('/api/orders'));
    expect(JSON.parse(req.request.body as string)).toEqual({ holdId: 'h-abc', concessions: [{ productId: 'prd-pipoca-salgada', size: 'G', quantity: 1 }] });
    req.flush(JSON.stringify({
      id: 'ord-1', status: 'PENDING_PAYMENT', holdId: 'h-abc',
      showtime: { id: 'st-1', movieTitle: 'Linha de Fogo', cinemaName: 'Bilhetagem Paulista', roomName: 'Sala 3', startsAt: '2026-11-29T22:35:00Z', format: '2D', language: 'LEGENDADO' },
      tickets: [{ seatId: 'F1', row: 'F', number: 1, seatType: 'STANDARD', ticketType: 'INTEIRA', meia: false, price: money(3600) }],
      concessions: [{ productId: 'prd-pipoca-salgada', name: 'Pipoca Salgada', size: 'G', flavours: [], quantity: 1, unitPrice: money(2300), total: money(2300) }],
      totals: { tickets: money(3600), concessions: money(2300), convenienceFee: money(400), total: money(6300) },
      createdAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 600_000).toISOString(), cancellableUntil: new Date(Date.now() + 86_400_000).toISOString(),
    }), { status: 201, statusText: 'Created' });
    await settle(checkout);
    expect(norm(page.querySelector('[data-testid="order-created"]')?.textContent)).toContain('+ bomboniere R$ 23,00');
    const summary = norm(page.querySelector('[data-testid="order-summary"]')?.textContent);
    expect(summary).toContain('1× Pipoca Salgada');
    expect(summary).toContain('TotalR$ 63,00');
  });

  it('pagamento: "Criar pedido" calls createOrder with an idempotency key; its 501 is "ainda não disponível", never a fake order', async () => {
    const fixture = setup(CheckoutPage);
    await withHold(fixture);
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('[role="timer"]')).not.toBeNull();
    [...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Criar pedido')!.click();
    await settle(fixture);
    const req = http.expectOne((r) => r.url.endsWith('/api/orders'));
    expect(JSON.parse(req.request.body as string)).toEqual({ holdId: 'h-abc' });
    expect(req.request.headers.get('Idempotency-Key')).toMatch(/^[\w-]{16,}$/);
    req.flush(...problem(501, 'not_implemented'));
    await settle(fixture);
    const notice = el.querySelector('[data-testid="order-problem"]')?.textContent;
    expect(notice).toContain('Ainda não disponível');
    expect(notice).toContain('Nada foi feito');
    expect(el.querySelector('[data-testid="order-created"]')).toBeNull();
    expect(el.querySelector('[role="timer"]')).not.toBeNull();
  });

  it('pagamento: once createOrder answers 201, says the order waits for payment with the server totals and offers the payment methods', async () => {
    const fixture = setup(CheckoutPage);
    await withHold(fixture);
    const el = fixture.nativeElement as HTMLElement;
    [...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Criar pedido')!.click();
    await settle(fixture);
    const money = (amount: number) => ({ amount, currency: 'BRL' });
    http.expectOne((r) => r.url.endsWith('/api/orders')).flush(JSON.stringify({
      id: 'ord-1', status: 'PENDING_PAYMENT', holdId: 'h-abc', concessions: [],
      tickets: [{ seatId: 'F1', row: 'F', number: 1, seatType: 'STANDARD', ticketType: 'INTEIRA', meia: false, price: money(3600) }],
      totals: { tickets: money(3600), concessions: money(0), convenienceFee: money(400), total: money(4000) },
    }), { status: 201, statusText: 'Created' });
    await settle(fixture);
    const text = (el.querySelector('[data-testid="order-created"]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
    expect(text).toBe('Pedido criado, aguardando pagamento: total R$ 40,00 (ingressos R$ 36,00 + taxa de conveniência R$ 4,00).');
    expect([...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Criar pedido')).toBeUndefined();
    expect(el.querySelector('[data-testid="sim-notice"]')?.textContent).toContain('Ambiente de teste simulado');
  });
});
