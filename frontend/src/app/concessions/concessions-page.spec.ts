import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import type { Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { authInterceptor } from '../account/auth.interceptor';
import { CheckoutPage } from '../checkout/checkout-page';
import type { Schemas } from '../api/api-client';
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
      id: 'ord-1', status: 'PENDING_PAYMENT', holdId: 'h-abc',
      totals: { tickets: money(3600), concessions: money(0), convenienceFee: money(400), total: money(4000) },
    }), { status: 201, statusText: 'Created' });
    await settle(fixture);
    const text = (el.querySelector('[data-testid="order-created"]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
    expect(text).toBe('Pedido criado, aguardando pagamento: total R$ 40,00 (ingressos R$ 36,00 + taxa de conveniência R$ 4,00).');
    expect([...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Criar pedido')).toBeUndefined();
    expect(el.querySelector('[data-testid="sim-notice"]')?.textContent).toContain('Ambiente de teste simulado');
  });
});
