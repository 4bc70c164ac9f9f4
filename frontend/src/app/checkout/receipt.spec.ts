import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { authInterceptor } from '../account/auth.interceptor';
import type { Schemas } from '../api/api-client';
import { ReceiptPage, receiptLines, refundText } from './receipt-page';

const money = (amount: number): Schemas['Money'] => ({ amount, currency: 'BRL' });
const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();

function paidOrder(over: Partial<Schemas['Order']> = {}): Schemas['Order'] {
  return {
    id: 'ord-1', status: 'PAID', holdId: 'h-1',
    showtime: { id: 'st-1', movieTitle: 'Linha de Fogo', cinemaId: 'cin-paulista', cinemaName: 'Bilhetagem Paulista', roomName: 'Sala 3',
      startsAt: '2026-11-29T22:35:00Z', format: '2D', language: 'LEGENDADO' },
    tickets: [
      { seatId: 'F1', row: 'F', number: 1, seatType: 'STANDARD', ticketType: 'INTEIRA', meia: false, price: money(3600), ticketId: 't-1' },
      { seatId: 'F2', row: 'F', number: 2, seatType: 'STANDARD', ticketType: 'MEIA_ESTUDANTE', meia: true, price: money(1800), ticketId: 't-2' },
    ],
    concessions: [{ productId: 'refri', name: 'Refrigerante', size: 'M', flavours: ['Guaraná'], quantity: 2, unitPrice: money(1600), total: money(3200) }],
    totals: { tickets: money(5400), concessions: money(3200), convenienceFee: money(800), total: money(9400) },
    createdAt: '2026-11-28T12:00:00Z', expiresAt: '2026-11-28T12:10:00Z', cancellableUntil: '2026-11-29T20:35:00Z',
    paidAt: '2026-11-28T12:03:00Z', pickupCode: 'K7M2Q9',
    payment: { id: 'pay-1', method: 'CARD', status: 'APPROVED' },
    ...over,
  } as Schemas['Order'];
}

describe('Recibo', () => {
  it('itemizes tickets with seat and type, bomboniere with quantity and unit, and the fee; the amounts add up to the total', () => {
    const o = paidOrder();
    const lines = receiptLines(o);
    expect(lines.map((l) => [l.item, l.detail, l.quantity, l.unit.amount, l.amount.amount])).toEqual([
      ['Ingresso, assento F1', 'Inteira', 1, 3600, 3600],
      ['Ingresso, assento F2', 'Meia-entrada estudante', 1, 1800, 1800],
      ['Refrigerante', 'M · Guaraná', 2, 1600, 3200],
      ['Taxa de conveniência', undefined, 1, 800, 800],
    ]);
    expect(lines.reduce((s, l) => s + l.amount.amount, 0)).toBe(o.totals.total.amount);
  });

  it('says a refund with its amount and time in São Paulo, and nothing without one', () => {
    expect(refundText(paidOrder())).toBeNull();
    expect(norm(refundText(paidOrder({ status: 'REFUNDED', refund: money(9400), cancelledAt: '2026-11-28T13:02:00Z' }))))
      .toBe('Estornado R$ 94,00 em 10:02 de 28/11/2026');
  });

  describe('page', () => {
    let http: HttpTestingController;
    const settle = async (fixture: { detectChanges(): void }) => {
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r));
        fixture.detectChanges();
      }
    };
    beforeEach(() => {
      sessionStorage.clear();
      sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 60_000 }));
      TestBed.configureTestingModule({
        providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
      });
      http = TestBed.inject(HttpTestingController);
    });

    async function open(order: Schemas['Order']) {
      const fixture = TestBed.createComponent(ReceiptPage);
      fixture.componentRef.setInput('orderId', order.id);
      fixture.detectChanges();
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith(`/api/orders/${order.id}`)).flush(JSON.stringify(order));
      await settle(fixture);
      return { fixture, el: fixture.nativeElement as HTMLElement };
    }

    it('a card order: the masked card and parcelas from the payment, each line, the total, the fiscal note and Imprimir', async () => {
      const { fixture, el } = await open(paidOrder());
      http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments/pay-1')).flush(JSON.stringify({
        id: 'pay-1', orderId: 'ord-1', method: 'CARD', status: 'APPROVED', amount: money(9400),
        card: { brand: 'MASTERCARD', last4: '4444', installments: 3 }, createdAt: '2026-11-28T12:02:00Z', updatedAt: '2026-11-28T12:03:00Z' }));
      await settle(fixture);
      expect(norm(el.querySelector('[data-testid="receipt-order"]')?.textContent)).toBe('ord-1');
      expect(norm(el.querySelector('[data-testid="receipt-payment"]')?.textContent)).toBe('Cartão MASTERCARD final 4444 em 3x');
      const rows = [...el.querySelectorAll('[data-testid="receipt-lines"] tbody tr')].map((r) => [...r.children].map((c) => norm(c.textContent)));
      expect(rows).toHaveLength(4);
      expect(rows[2]).toEqual(['Refrigerante M · Guaraná', '2', 'R$ 16,00', 'R$ 32,00']);
      expect(norm(el.querySelector('[data-testid="receipt-total"]')?.textContent)).toBe('R$ 94,00');
      expect(el.querySelector('[data-testid="receipt-refund"]')).toBeNull();
      expect(el.textContent).toContain('não é documento fiscal');
      const print = vi.spyOn(window, 'print').mockImplementation(() => undefined);
      [...el.querySelectorAll('button')].find((b) => norm(b.textContent) === 'Imprimir')!.click();
      expect(print).toHaveBeenCalled();
      http.verify();
    });

    it('a refunded Pix order: "Pix" without reading a payment, and the refund', async () => {
      const { el } = await open(paidOrder({ status: 'REFUNDED', refund: money(9400), cancelledAt: '2026-11-28T13:02:00Z',
        payment: { id: 'pay-1', method: 'PIX', status: 'REFUNDED' } }));
      expect(norm(el.querySelector('[data-testid="receipt-payment"]')?.textContent)).toBe('Pix');
      expect(norm(el.querySelector('[data-testid="receipt-refund"]')?.textContent)).toBe('Estornado R$ 94,00 em 10:02 de 28/11/2026');
      http.verify();
    });

    it('an order never paid has no receipt, and says why', async () => {
      const { el } = await open(paidOrder({ status: 'EXPIRED', paidAt: undefined, pickupCode: undefined, payment: undefined }));
      expect(el.querySelector('[data-testid="receipt"]')).toBeNull();
      expect(norm(el.querySelector('[data-testid="receipt-not-paid"]')?.textContent)).toContain('Este pedido não tem recibo');
    });
  });
});
