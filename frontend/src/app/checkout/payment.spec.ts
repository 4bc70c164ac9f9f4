import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { authInterceptor } from '../account/auth.interceptor';
import { ApiError, type Schemas } from '../api/api-client';
import { problemMessage } from '../api/problem-message';
import { HoldStore } from '../seat-selection/hold-store';
import { MyOrdersPage, ORDER_STATUS_LABELS, PAYMENT_WINDOW_CLOSED, isCancellable, isPayable } from '../tickets/my-orders-page';
import { qrDataUrl } from '../tickets/ticket-qr';
import { CheckoutPage, PAYMENT_DECLINED, PIX_POLL_MS, cardDigits, simulatedCardToken } from './checkout-page';
import { ConfirmationPage, cinemaMapUrl, orderLines, paymentMethodLabel } from './confirmation-page';
import { MAX_INSTALLMENTS, installmentOptions } from './installments';
import { concessionText } from './order-summary';
import { OrderAttempts } from './order-attempt';
import { PAYMENTS_CONFIG, type PaymentsConfig, paymentsConfigFrom } from './payments-config';

const money = (amount: number): Schemas['Money'] => ({ amount, currency: 'BRL' });
const future = (ms: number) => new Date(Date.now() + ms).toISOString();

function testHold(): Schemas['Hold'] {
  return {
    id: 'h-abc', showtimeId: 'st-1', status: 'ACTIVE', meiaCount: 0, warnings: [],
    seats: [{ seatId: 'F1', row: 'F', number: 1, seatType: 'STANDARD', ticketType: 'INTEIRA', meia: false,
      ticketPrice: money(3600), surcharge: money(0), price: money(3600) }],
    total: money(3600), createdAt: new Date().toISOString(), expiresAt: future(10 * 60_000),
  };
}

function testOrder(over: Partial<Schemas['Order']> = {}): Schemas['Order'] {
  return {
    id: 'ord-1', status: 'PENDING_PAYMENT', holdId: 'h-abc',
    showtime: { id: 'st-1', movieTitle: 'Linha de Fogo', cinemaId: 'cin-paulista', cinemaName: 'Bilhetagem Paulista', roomName: 'Sala 3',
      startsAt: '2026-11-29T22:35:00Z', format: '2D', language: 'LEGENDADO' },
    tickets: [
      { seatId: 'F1', row: 'F', number: 1, seatType: 'STANDARD', ticketType: 'INTEIRA', meia: false, price: money(3600), ticketId: 't-1' },
      { seatId: 'F2', row: 'F', number: 2, seatType: 'STANDARD', ticketType: 'MEIA_ESTUDANTE', meia: true, price: money(1800), ticketId: 't-2' },
    ],
    concessions: [],
    totals: { tickets: money(5400), concessions: money(0), convenienceFee: money(800), total: money(6200) },
    createdAt: new Date().toISOString(), expiresAt: future(10 * 60_000), cancellableUntil: future(24 * 3600_000),
    ...over,
  } as Schemas['Order'];
}

function testTicket(seatId: string, meia: boolean): Schemas['Ticket'] {
  return {
    id: `t-${seatId}`, orderId: 'ord-1', showtimeId: 'st-1', movieTitle: 'Linha de Fogo', cinemaName: 'Bilhetagem Paulista',
    roomName: 'Sala 3', startsAt: '2026-11-29T22:35:00Z', format: '2D', language: 'LEGENDADO', seatId, row: 'F',
    number: Number(seatId.slice(1)), seatType: 'STANDARD', ticketType: meia ? 'MEIA_ESTUDANTE' : 'INTEIRA', meia,
    ...(meia ? { proof: 'Carteira de Identificação Estudantil (CIE) válida' } : {}),
    status: 'VALID', qr: `BLT1.claims-${seatId}.sig`,
  } as Schemas['Ticket'];
}

const payment = (over: Partial<Schemas['Payment']>): Schemas['Payment'] => ({
  id: 'pay-1', orderId: 'ord-1', method: 'CARD', status: 'APPROVED', amount: money(6200),
  createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), ...over,
});

const created = { status: 201, statusText: 'Created' };
const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();
const button = (el: HTMLElement, text: string | RegExp) =>
  [...el.querySelectorAll('button')].find((b) => (typeof text === 'string' ? norm(b.textContent) === text : text.test(norm(b.textContent)))) as HTMLButtonElement;

describe('payment helpers', () => {
  it("reads the simulator's Pix route from the runtime config only for the simulator and a local path", () => {
    expect(paymentsConfigFrom({ payments: { provider: 'simulator', simulatorPixPay: '/dev/psp/pix/{paymentId}/pay' } }))
      .toEqual({ provider: 'simulator', pixPay: '/dev/psp/pix/{paymentId}/pay' });
    expect(paymentsConfigFrom({ payments: { provider: 'simulator', simulatorPixPay: 'https://x.example/{paymentId}' } }))
      .toEqual({ provider: 'simulator' });
    expect(paymentsConfigFrom({ payments: { provider: 'simulator' } })).toEqual({ provider: 'simulator' });
    expect(paymentsConfigFrom({ payments: { provider: 'stripe', publishableKey: 'pk_test_1', simulatorPixPay: '/dev/{paymentId}' } }))
      .toEqual({ provider: 'stripe', publishableKey: 'pk_test_1' });
  });

  it('keeps the digits of a card number and makes the simulated token from them', () => {
    expect(cardDigits('4111 1111-1111 1111')).toBe('4111111111111111');
    expect(simulatedCardToken('4000 0000 0000 0002')).toBe('sim_4000000000000002');
  });

  it('lists the tickets, bomboniere lines and the fee of an order', () => {
    const lines = orderLines(testOrder({ concessions: [{ productId: 'pipoca', name: 'Pipoca', size: 'G', flavours: ['Manteiga'],
      quantity: 2, unitPrice: money(2000), total: money(4000) }] }));
    expect(lines.map((l) => l.label)).toEqual(['Assento F1', 'Assento F2', '2× Pipoca', 'Taxa de conveniência']);
    expect(lines[1].detail).toBe('Meia-entrada estudante');
    expect(lines[2].detail).toBe('G · Manteiga');
  });

  it('names every order status in pt-BR and lets only a paid order inside its window be cancelled', () => {
    expect(ORDER_STATUS_LABELS.PAID).toBe('Pago');
    expect(ORDER_STATUS_LABELS.REFUNDED).toBe('Cancelado · reembolsado');
    expect(isCancellable(testOrder({ status: 'PAID' }))).toBe(true);
    expect(isCancellable(testOrder({ status: 'PAID', cancellableUntil: future(-1000) }))).toBe(false);
    expect(isCancellable(testOrder({ status: 'PENDING_PAYMENT' }))).toBe(false);
  });

  it('lets only an order waiting for payment, before it expires, be paid', () => {
    expect(isPayable(testOrder())).toBe(true);
    expect(isPayable(testOrder({ expiresAt: new Date(Date.now() - 1000).toISOString() }))).toBe(false);
    expect(isPayable(testOrder({ status: 'PAID' }))).toBe(false);
    expect(isPayable(testOrder({ status: 'EXPIRED' }))).toBe(false);
  });

  it('says a bomboniere line in one phrase, with size and flavours when they say something', () => {
    const line = (over: Partial<Schemas['OrderConcession']>): Schemas['OrderConcession'] => ({ productId: 'p', name: 'Combo Casal',
      size: 'UN', flavours: [], quantity: 1, unitPrice: money(4990), total: money(4990), ...over });
    expect(concessionText(line({ flavours: ['Cola', 'Guaraná'] }))).toBe('1× Combo Casal (Cola · Guaraná)');
    expect(concessionText(line({ name: 'Pipoca', size: 'G', quantity: 2 }))).toBe('2× Pipoca (G)');
    expect(concessionText(line({ name: 'Água Mineral' }))).toBe('1× Água Mineral');
  });

  it('offers parcelas without interest up to the contract maximum, the first carrying the rest of the centavos', () => {
    const labels = (amount: number) => installmentOptions(money(amount)).map((o) => norm(o.label));
    expect(labels(6200)).toEqual(['1x de R$ 62,00', '2x de R$ 31,00 sem juros', '3x de R$ 20,66 sem juros (1ª de R$ 20,68)']);
    expect(labels(4500)).toEqual(['1x de R$ 45,00', '2x de R$ 22,50 sem juros', '3x de R$ 15,00 sem juros']);
    expect(installmentOptions(money(6200)).map((o) => o.count)).toEqual([1, 2, 3]);
    expect(MAX_INSTALLMENTS).toBe(3);
  });

  it('says how an order was paid: Pix, or the card brand, its last digits and any instalments', () => {
    expect(paymentMethodLabel(payment({ method: 'PIX' }))).toBe('Pix');
    expect(paymentMethodLabel(payment({ card: { brand: 'VISA', last4: '1111', installments: 1 } }))).toBe('Cartão VISA final 1111');
    expect(paymentMethodLabel(payment({ card: { brand: 'MASTERCARD', last4: '4444', installments: 3 } }))).toBe('Cartão MASTERCARD final 4444 em 3x');
    expect(paymentMethodLabel(payment({}))).toBe('Cartão');
    expect(paymentMethodLabel({ id: 'pay-1', method: 'CARD', status: 'APPROVED' })).toBe('Cartão');
    expect(paymentMethodLabel({ id: 'pay-1', method: 'PIX', status: 'APPROVED' })).toBe('Pix');
  });

  it('links a cinema to a map of its coordinates', () => {
    expect(cinemaMapUrl({ id: 'c', name: 'n', neighborhood: 'b', address: 'a', city: 'São Paulo', state: 'SP', rooms: [],
      location: { latitude: -23.5424, longitude: -46.4713 } })).toBe('https://www.google.com/maps/search/?api=1&query=-23.5424,-46.4713');
  });

  it('turns the payment and cancellation problems into pt-BR titles', () => {
    const err = (code: string, detail: string) => new ApiError(409, { type: '/p', title: 'x', status: 409, code, detail } as Schemas['Problem']);
    expect(problemMessage(err('order_not_cancellable', 'o cancelamento era possível até 17:30'), 'cancelar').title).toBe('Não é mais possível cancelar');
    expect(problemMessage(err('payment_in_progress', 'já há um Pix'), 'pagar').title).toBe('Pagamento em andamento');
    expect(problemMessage(err('invalid_payment_token', 'o cartão não foi reconhecido'), 'pagar')).toMatchObject({
      kind: 'error', code: 'invalid_payment_token', title: 'Cartão não reconhecido',
      detail: 'Confira o número do cartão ou use outro. Nada foi cobrado e seus assentos continuam reservados até o fim do prazo.',
    });
    expect(problemMessage(err('installments_not_offered', 'este cartão não aceita esse número de parcelas'), 'pagar')).toMatchObject({
      kind: 'error', code: 'installments_not_offered', title: 'Parcelamento indisponível',
      detail: 'Este cartão não aceita esse número de parcelas. Escolha menos parcelas ou pague à vista; nada foi cobrado.',
    });
  });

  it('draws a QR code of a ticket payload as an SVG data URL', async () => {
    const url = await qrDataUrl('BLT1.eyJ2IjoxfQ.c2ln');
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url)).toContain('<svg');
  });
});

describe('Pagamento, Confirmação and Meus pedidos', () => {
  let http: HttpTestingController;
  const settle = async (fixture: { detectChanges(): void }) => {
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r));
      fixture.detectChanges();
    }
  };

  function configure(payments?: PaymentsConfig) {
    sessionStorage.clear();
    sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 60_000 }));
    sessionStorage.setItem('bilhetagem.hold', JSON.stringify({ id: 'h-abc', showtimeId: 'st-1' }));
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting(),
        ...(payments ? [{ provide: PAYMENTS_CONFIG, useValue: payments }] : [])],
    });
    http = TestBed.inject(HttpTestingController);
  }

  /** Pagamento with the hold read back and the order created. */
  async function checkoutWithOrder() {
    configure();
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const fixture = TestBed.createComponent(CheckoutPage);
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc')).flush(JSON.stringify(testHold()));
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    button(el, 'Criar pedido').click();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/orders')).flush(JSON.stringify(testOrder()), created);
    await settle(fixture);
    return { fixture, el, navigate };
  }

  async function payWithCard(fixture: { detectChanges(): void }, el: HTMLElement, number: string) {
    const input = el.querySelector<HTMLInputElement>('#card-number')!;
    input.value = number;
    input.dispatchEvent(new Event('input'));
    await settle(fixture);
    button(el, /^Pagar R\$/).click();
    await settle(fixture);
    return http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments') && r.method === 'POST');
  }

  it('card: shows the simulated environment and its test numbers, sends only a sim_ token and goes to the confirmation when approved', async () => {
    const { fixture, el, navigate } = await checkoutWithOrder();
    expect(norm(el.querySelector('[data-testid="sim-notice"]')?.textContent)).toContain('Ambiente de teste simulado');
    expect(el.querySelector('.test-cards')?.textContent).toContain('4111111111111111');
    expect(el.querySelector('.test-cards')?.textContent).toContain('4000000000000002');
    expect(el.querySelector('[role="timer"]')).not.toBeNull();
    const req = await payWithCard(fixture, el, '4111 1111 1111 1111');
    expect(JSON.parse(req.request.body as string)).toEqual({ method: 'CARD', card: { token: 'sim_4111111111111111', installments: 1 } });
    expect(req.request.headers.get('Idempotency-Key')).toMatch(/^[\w-]{16,}$/);
    req.flush(JSON.stringify(payment({ card: { brand: 'VISA', last4: '1111', installments: 1 } })), created);
    await settle(fixture);
    expect(navigate).toHaveBeenCalledWith(['/compra/confirmacao', 'ord-1']);
    expect(sessionStorage.getItem('bilhetagem.hold')).toBeNull();
  });

  it('card in parcelas: the buyer picks 3x of the total and createPayment carries it', async () => {
    const { fixture, el } = await checkoutWithOrder();
    const select = el.querySelector<HTMLSelectElement>('[data-testid="installments"]')!;
    expect(el.querySelector('label[for="installments"]')?.textContent).toBe('Parcelas');
    expect(Array.from(select.options, (o) => norm(o.textContent))).toEqual(installmentOptions(testOrder().totals.total).map((o) => norm(o.label)));
    select.value = '3';
    select.dispatchEvent(new Event('change'));
    await settle(fixture);
    const req = await payWithCard(fixture, el, '4111 1111 1111 1111');
    expect(JSON.parse(req.request.body as string)).toEqual({ method: 'CARD', card: { token: 'sim_4111111111111111', installments: 3 } });
  });

  it('card declined: the seats-released notice for the seat map, and back to it', async () => {
    const { fixture, el, navigate } = await checkoutWithOrder();
    button(el, 'Usar o cartão recusado').click();
    await settle(fixture);
    const req = await payWithCard(fixture, el, el.querySelector<HTMLInputElement>('#card-number')!.value);
    expect(JSON.parse(req.request.body as string).card.token).toBe('sim_4000000000000002');
    req.flush(JSON.stringify(payment({ status: 'DECLINED', failureReason: 'recusado' })), created);
    await settle(fixture);
    expect(navigate).toHaveBeenCalledWith(['/sessoes', 'st-1', 'assentos']);
    expect(TestBed.inject(HoldStore).notice()).toEqual(PAYMENT_DECLINED);
    expect(PAYMENT_DECLINED.detail).toContain('assentos foram liberados');
  });

  it('card not recognised (422 invalid_payment_token): says so, keeps the hold and the order, and a second card pays', async () => {
    const { fixture, el, navigate } = await checkoutWithOrder();
    const bad = await payWithCard(fixture, el, '4242 4242 4242 4242');
    bad.flush(JSON.stringify({ type: '/problems/invalid-payment-token', title: 'Cartão não reconhecido', status: 422,
      code: 'invalid_payment_token', detail: 'o cartão não foi reconhecido pelo provedor de pagamentos' }),
    { status: 422, statusText: 'Unprocessable Entity', headers: { 'Content-Type': 'application/problem+json' } });
    await settle(fixture);
    const notice = el.querySelector('[data-testid="order-problem"]');
    expect(norm(notice?.textContent)).toContain('Cartão não reconhecido');
    expect(norm(notice?.textContent)).toContain('seus assentos continuam reservados');
    expect(navigate).not.toHaveBeenCalled();
    expect(TestBed.inject(HoldStore).notice()).toBeNull();
    expect(sessionStorage.getItem('bilhetagem.hold')).not.toBeNull();

    const good = await payWithCard(fixture, el, '4111 1111 1111 1111');
    expect(good.request.headers.get('Idempotency-Key')).not.toBe(bad.request.headers.get('Idempotency-Key'));
    good.flush(JSON.stringify(payment({ card: { brand: 'VISA', last4: '1111', installments: 1 } })), created);
    await settle(fixture);
    expect(navigate).toHaveBeenCalledWith(['/compra/confirmacao', 'ord-1']);
  });

  it('pix: the QR image and copia-e-cola, polled with getPayment then getOrder until paid', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { fixture, el, navigate } = await checkoutWithOrder();
      const pixRadio = el.querySelector<HTMLInputElement>('input[value="PIX"]')!;
      pixRadio.click();
      await settle(fixture);
      button(el, 'Gerar Pix').click();
      await settle(fixture);
      const req = http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments'));
      expect(JSON.parse(req.request.body as string)).toEqual({ method: 'PIX' });
      const pix = { copyPaste: '00020126580014br.gov.bcb.pix', qrCodePng: 'iVBORw0KGgo=', expiresAt: future(10 * 60_000) };
      req.flush(JSON.stringify(payment({ method: 'PIX', status: 'PENDING', pix })), created);
      await settle(fixture);
      expect(el.querySelector<HTMLImageElement>('img[alt="QR code do Pix"]')?.src).toBe('data:image/png;base64,iVBORw0KGgo=');
      expect(el.querySelector<HTMLInputElement>('#pix-code')?.value).toBe(pix.copyPaste);
      expect(button(el, 'Copiar código')).toBeDefined();

      vi.advanceTimersByTime(PIX_POLL_MS);
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments/pay-1')).flush(JSON.stringify(payment({ method: 'PIX', status: 'PENDING', pix })));
      await settle(fixture);
      expect(navigate).not.toHaveBeenCalled();

      vi.advanceTimersByTime(PIX_POLL_MS);
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments/pay-1')).flush(JSON.stringify(payment({ method: 'PIX', status: 'APPROVED', pix })));
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/orders/ord-1') && r.method === 'GET').flush(JSON.stringify(testOrder({ status: 'PAID', pickupCode: 'K7M2Q9' })));
      await settle(fixture);
      expect(navigate).toHaveBeenCalledWith(['/compra/confirmacao', 'ord-1']);
      fixture.destroy();
    } finally {
      vi.useRealTimers();
    }
  });

  /** Pagamento read back with a pending Pix of order ord-1 (payment pay-1). */
  async function pendingPix(payments?: PaymentsConfig) {
    configure(payments);
    sessionStorage.setItem('bilhetagem.order', JSON.stringify({ holdId: 'h-abc', key: 'k-1', body: '{}', orderId: 'ord-1', paymentId: 'pay-1' }));
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const fixture = TestBed.createComponent(CheckoutPage);
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc')).flush(JSON.stringify({ ...testHold(), status: 'ORDERED', orderId: 'ord-1' }));
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/orders/ord-1') && r.method === 'GET').flush(JSON.stringify(testOrder()));
    await settle(fixture);
    const pix = { copyPaste: '00020126580014br.gov.bcb.pix', qrCodePng: 'iVBORw0KGgo=', expiresAt: future(10 * 60_000) };
    http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments/pay-1') && r.method === 'GET')
      .flush(JSON.stringify(payment({ method: 'PIX', status: 'PENDING', pix })));
    await settle(fixture);
    return { fixture, el: fixture.nativeElement as HTMLElement, navigate, pix };
  }

  it('a reload of Pagamento reads the order and its pending Pix back (getOrder, getPayment) and creates nothing', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { fixture, el, pix } = await pendingPix();
      expect(norm(el.querySelector('[data-testid="order-created"]')?.textContent)).toContain('total R$ 62,00');
      expect(el.querySelector<HTMLInputElement>('#pix-code')?.value).toBe(pix.copyPaste);
      expect(button(el, 'Criar pedido')).toBeUndefined();
      http.expectNone((r) => r.method === 'POST');
      // and it keeps polling the same payment
      vi.advanceTimersByTime(PIX_POLL_MS);
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments/pay-1')).flush(JSON.stringify(payment({ method: 'PIX', status: 'PENDING', pix })));
      fixture.destroy();
    } finally {
      vi.useRealTimers();
    }
  });

  it("a local run's simulated Pix: says it is simulated, pays it through the simulator's route and goes on at once", async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { fixture, el, navigate } = await pendingPix({ provider: 'simulator', pixPay: '/dev/psp/pix/{paymentId}/pay' });
      expect(norm(el.querySelector('[data-testid="pix-simulator"]')?.textContent)).toContain('este Pix é simulado');
      button(el, 'Pagar com o simulador').click();
      await settle(fixture);
      expect(button(el, 'Pagando…')?.disabled).toBe(true);
      http.expectOne((r) => r.url === '/dev/psp/pix/pay-1/pay' && r.method === 'POST').flush(null, { status: 204, statusText: 'No Content' });
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments/pay-1') && r.method === 'GET')
        .flush(JSON.stringify(payment({ method: 'PIX', status: 'APPROVED' })));
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/orders/ord-1') && r.method === 'GET').flush(JSON.stringify(testOrder({ status: 'PAID' })));
      await settle(fixture);
      expect(navigate).toHaveBeenCalledWith(['/compra/confirmacao', 'ord-1']);
      fixture.destroy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a Pix without the simulator route (any deployed stack) offers no simulator button', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const { fixture, el } = await pendingPix();
      expect(el.querySelector('[data-testid="pix-simulator"]')).toBeNull();
      expect(button(el, 'Pagar com o simulador')).toBeUndefined();
      fixture.destroy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a Pix made in another tab or on another device shows again: the order names its payment (getOrder), read with getPayment', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      configure(); // nothing of this order is saved in this tab
      const fixture = TestBed.createComponent(CheckoutPage);
      fixture.detectChanges();
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/holds/h-abc')).flush(JSON.stringify({ ...testHold(), status: 'ORDERED', orderId: 'ord-1' }));
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/orders/ord-1') && r.method === 'GET')
        .flush(JSON.stringify(testOrder({ payment: { id: 'pay-elsewhere', method: 'PIX', status: 'PENDING' } })));
      await settle(fixture);
      const pix = { copyPaste: '00020126580014br.gov.bcb.pix-outro', qrCodePng: 'iVBORw0KGgo=', expiresAt: future(10 * 60_000) };
      http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments/pay-elsewhere') && r.method === 'GET')
        .flush(JSON.stringify(payment({ id: 'pay-elsewhere', method: 'PIX', status: 'PENDING', pix })));
      await settle(fixture);
      const el = fixture.nativeElement as HTMLElement;
      expect(el.querySelector<HTMLInputElement>('#pix-code')?.value).toBe(pix.copyPaste);
      expect(el.querySelector<HTMLImageElement>('img[alt="QR code do Pix"]')).not.toBeNull();
      expect(button(el, 'Gerar Pix')).toBeUndefined();
      http.expectNone((r) => r.method === 'POST');
      expect(TestBed.inject(OrderAttempts).get('h-abc')?.paymentId).toBe('pay-elsewhere');
      vi.advanceTimersByTime(PIX_POLL_MS);
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments/pay-elsewhere'))
        .flush(JSON.stringify(payment({ id: 'pay-elsewhere', method: 'PIX', status: 'PENDING', pix })));
      fixture.destroy();
    } finally {
      vi.useRealTimers();
    }
  });

  it('a retried "Criar pedido" sends the same Idempotency-Key, even from a new page; a changed bomboniere gets a new one', async () => {
    configure();
    const keys: string[] = [];
    for (let attempt = 0; attempt < 2; attempt++) {
      const fixture = TestBed.createComponent(CheckoutPage);
      fixture.detectChanges();
      await settle(fixture);
      if (attempt === 0) http.expectOne((r) => r.url.endsWith('/api/holds/h-abc')).flush(JSON.stringify(testHold()));
      await settle(fixture);
      button(fixture.nativeElement as HTMLElement, 'Criar pedido').click();
      await settle(fixture);
      const req = http.expectOne((r) => r.url.endsWith('/api/orders'));
      keys.push(req.request.headers.get('Idempotency-Key')!);
      req.flush('', { status: 503, statusText: 'Unavailable' });
      await settle(fixture);
      fixture.destroy();
    }
    expect(keys[0]).toMatch(/^[\w-]{16,}$/);
    expect(keys[1]).toBe(keys[0]);
    const attempts = TestBed.inject(OrderAttempts);
    expect(attempts.keyFor('h-abc', { holdId: 'h-abc' })).toBe(keys[0]);
    expect(attempts.keyFor('h-abc', { holdId: 'h-abc', concessions: [{ productId: 'prd-agua', size: 'UN', quantity: 1 }] })).not.toBe(keys[0]);
  });

  it('confirmation: the pickup code, one QR per seat in seat order and the meia proof', async () => {
    configure();
    const fixture = TestBed.createComponent(ConfirmationPage);
    fixture.componentRef.setInput('orderId', 'ord-1');
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/orders/ord-1')).flush(JSON.stringify(testOrder({ status: 'PAID', pickupCode: 'K7M2Q9',
      payment: { id: 'pay-1', method: 'PIX', status: 'APPROVED' } })));
    await settle(fixture);
    http.expectOne((r) => r.url.includes('/api/me/tickets')).flush(JSON.stringify({
      items: [testTicket('F10', false), { ...testTicket('G9', false), orderId: 'ord-other' }, testTicket('F9', true)],
    }));
    for (let i = 0; i < 10 && (fixture.nativeElement as HTMLElement).querySelectorAll('[data-testid="ticket"] img').length < 2; i++) {
      await settle(fixture);
    }
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('h1')?.textContent).toBe('Compra confirmada!');
    expect(el.querySelector('[data-testid="pickup-code"]')?.textContent).toBe('K7M2Q9');
    // The pickup code as a QR code too, for the counter's camera: its payload is the code itself.
    for (let i = 0; i < 10 && !el.querySelector('[data-testid="pickup-qr"] img'); i++) await settle(fixture);
    const pickupQr = el.querySelector('[data-testid="pickup-qr"] img');
    expect(pickupQr?.getAttribute('alt')).toBe('QR do código de retirada K7M2Q9');
    expect(pickupQr?.getAttribute('data-payload')).toBe('K7M2Q9');
    expect(pickupQr?.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    const tickets = el.querySelectorAll('[data-testid="ticket"]');
    expect(tickets).toHaveLength(2);
    expect([...tickets].map((t) => t.querySelector('img')?.getAttribute('alt'))).toEqual(
      ['QR code do ingresso do assento F9', 'QR code do ingresso do assento F10']);
    expect(tickets[0].querySelector('img')?.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(norm(el.querySelector('[data-testid="proof"]')?.textContent)).toBe(
      'Meia-entrada: apresente na entrada Carteira de Identificação Estudantil (CIE) válida');
    expect(norm(el.querySelector('app-order-summary .total')?.textContent)).toBe('TotalR$ 62,00');
    // The order number, and how it was paid from the order's own payment summary (a Pix needs no getPayment).
    expect(norm(el.querySelector('[data-testid="order-number"]')?.textContent)).toBe('ord-1');
    expect(norm(el.querySelector('[data-testid="payment-method"]')?.textContent)).toBe('Pix');
    http.expectNone((r) => r.url.includes('/payments/'));
    // Each ticket can be saved (sharing shows only where the browser has the Web Share API; jsdom has none).
    expect([...tickets].map((t) => [...t.querySelectorAll('button')].map((b) => norm(b.textContent)))).toEqual(
      [['Baixar o ingresso do assento F9'], ['Baixar o ingresso do assento F10']]);
    fixture.destroy();
  });

  it('confirmation, however reached: the order number, the card it was paid with (its payment) and its cinema with the address and map', async () => {
    configure();
    const fixture = TestBed.createComponent(ConfirmationPage);
    fixture.componentRef.setInput('orderId', 'ord-1');
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/orders/ord-1')).flush(JSON.stringify(testOrder({ status: 'PAID', pickupCode: 'K7M2Q9',
      payment: { id: 'pay-1', method: 'CARD', status: 'APPROVED' } })));
    await settle(fixture);
    http.expectOne((r) => r.url.includes('/api/me/tickets')).flush(JSON.stringify({ items: [testTicket('F1', false), testTicket('F2', true)] }));
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments/pay-1'))
      .flush(JSON.stringify(payment({ card: { brand: 'VISA', last4: '1111', installments: 1 } })));
    await settle(fixture);
    http.expectNone((r) => r.url.includes('/api/showtimes/'));
    http.expectOne((r) => r.url.endsWith('/api/cinemas')).flush(JSON.stringify({ items: [
      { id: 'cin-pinheiros', name: 'Bilhetagem Pinheiros', neighborhood: 'Pinheiros', address: 'Rua dos Pinheiros, 500', city: 'São Paulo',
        state: 'SP', location: { latitude: -23.56, longitude: -46.68 }, rooms: [] },
      { id: 'cin-paulista', name: 'Bilhetagem Paulista', neighborhood: 'Bela Vista', address: 'Av. Paulista, 1230 - Bela Vista, 01310-100',
        city: 'São Paulo', state: 'SP', location: { latitude: -23.5629, longitude: -46.6544 }, rooms: [] },
    ] }));
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    expect(norm(el.querySelector('[data-testid="order-number"]')?.textContent)).toBe('ord-1');
    expect(norm(el.querySelector('[data-testid="payment-method"]')?.textContent)).toBe('Cartão VISA final 1111');
    const cinema = el.querySelector('[data-testid="cinema"]')!;
    const lines = [...cinema.querySelector('dd')!.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => norm(n.textContent));
    expect(lines.filter(Boolean)).toEqual(['Bilhetagem Paulista', 'Av. Paulista, 1230 - Bela Vista, 01310-100, São Paulo - SP']);
    const map = cinema.querySelector('a')!;
    expect(map.getAttribute('href')).toBe('https://www.google.com/maps/search/?api=1&query=-23.5629,-46.6544');
    expect(map.getAttribute('target')).toBe('_blank');
    expect(map.getAttribute('rel')).toBe('noopener');
    fixture.destroy();
  });

  it('my orders: status chips, and a paid order cancelled after the confirm dialog shows its refund', async () => {
    configure();
    const fixture = TestBed.createComponent(MyOrdersPage);
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.includes('/api/me/orders')).flush(JSON.stringify({
      items: [testOrder({ status: 'PAID', pickupCode: 'K7M2Q9' }), testOrder({ id: 'ord-2', status: 'FAILED' })],
    }));
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const chips = [...el.querySelectorAll('[data-testid="order-status"]')].map((c) => norm(c.textContent));
    expect(chips).toEqual(['Pago', 'Pagamento recusado']);
    expect(el.querySelectorAll('[data-order="ord-2"] button')).toHaveLength(0);
    el.querySelector<HTMLButtonElement>('[data-order="ord-1"] button')!.click();
    await settle(fixture);
    expect(el.querySelector('dialog h2')?.textContent).toBe('Cancelar este pedido?');
    button(el, 'Sim, cancelar').click();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/cancel') && r.method === 'POST')
      .flush(JSON.stringify(testOrder({ status: 'CANCELLED', refund: money(6200), cancelledAt: new Date().toISOString() })));
    await settle(fixture);
    expect(norm(el.querySelector('[data-order="ord-1"] [data-testid="order-status"]')?.textContent)).toBe('Cancelado · reembolso em andamento');
    expect(norm(el.querySelector('[data-order="ord-1"] [data-testid="refund"]')?.textContent)).toBe('Reembolso de R$ 62,00 solicitado ao meio de pagamento.');
    expect(el.querySelectorAll('[data-order="ord-1"] button')).toHaveLength(0);
  });

  const combo: Schemas['OrderConcession'] = { productId: 'prd-combo-casal', name: 'Combo Casal', size: 'UN', flavours: ['Cola', 'Guaraná'],
    quantity: 1, unitPrice: money(4990), total: money(4990) };

  it('my orders: a paid order lists its bomboniere items with the pickup code and its QR; a cancelled one keeps the items, not the code', async () => {
    configure();
    const fixture = TestBed.createComponent(MyOrdersPage);
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.includes('/api/me/orders')).flush(JSON.stringify({
      items: [
        testOrder({ status: 'PAID', pickupCode: 'K7M2Q9', concessions: [combo] }),
        testOrder({ id: 'ord-2', status: 'REFUNDED', pickupCode: 'Z9Z9Z9', concessions: [combo], refund: money(6200) }),
        testOrder({ id: 'ord-3', status: 'PAID', pickupCode: 'A1B2C3' }),
      ],
    }));
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const paid = el.querySelector('[data-order="ord-1"]')!;
    expect(norm(paid.querySelector('[data-testid="order-pickup"]')?.textContent)).toBe('Código de retirada na bomboniere: K7M2Q9');
    for (let i = 0; i < 10 && !paid.querySelector('[data-testid="order-pickup-qr"] img'); i++) await settle(fixture);
    const qr = paid.querySelector('[data-testid="order-pickup-qr"] img');
    expect(qr?.getAttribute('alt')).toBe('QR do código de retirada K7M2Q9');
    expect(qr?.getAttribute('data-payload')).toBe('K7M2Q9');
    expect([...paid.querySelectorAll('[data-testid="order-concessions"] li')].map((li) => norm(li.textContent)))
      .toEqual(['1× Combo Casal (Cola · Guaraná)']);
    const refunded = el.querySelector('[data-order="ord-2"]')!;
    expect(refunded.querySelector('[data-testid="order-pickup"]')).toBeNull();
    expect(refunded.querySelector('[data-testid="order-pickup-qr"]')).toBeNull();
    expect(refunded.querySelector('[data-testid="order-concessions"]')).not.toBeNull();
    // Tickets only: a pickup code, no bomboniere list.
    const ticketsOnly = el.querySelector('[data-order="ord-3"]')!;
    expect(ticketsOnly.querySelector('[data-testid="order-concessions"]')).toBeNull();
    expect(ticketsOnly.querySelector('[data-testid="pay-by"]')).toBeNull();
  });

  describe('my orders: an order waiting for payment', () => {
    async function myOrders(order: Schemas['Order']) {
      configure();
      const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
      const fixture = TestBed.createComponent(MyOrdersPage);
      fixture.detectChanges();
      await settle(fixture);
      http.expectOne((r) => r.url.includes('/api/me/orders')).flush(JSON.stringify({ items: [order] }));
      await settle(fixture);
      const el = fixture.nativeElement as HTMLElement;
      return { fixture, el, navigate, card: el.querySelector(`[data-order="${order.id}"]`)! };
    }

    it('says until when to pay, that it expires by itself, and offers no cancellation (the API cancels paid orders only)', async () => {
      const expiresAt = '2030-01-10T18:07:00Z';
      const { card } = await myOrders(testOrder({ expiresAt }));
      expect(norm(card.querySelector('[data-testid="order-status"]')?.textContent)).toBe('Aguardando pagamento');
      expect(norm(card.querySelector('[data-testid="pay-by"]')?.textContent)).toBe(
        'Pague até 15:07. Sem o pagamento, o pedido expira sozinho, os assentos são liberados e nada é cobrado.');
      expect([...card.querySelectorAll('button')].map((b) => norm(b.textContent))).toEqual(['Continuar pagamento']);
      expect(card.querySelector('[data-testid="order-pickup"]')).toBeNull();
    });

    it('Continuar pagamento goes to Pagamento at once when this tab holds its hold', async () => {
      const { fixture, card, navigate } = await myOrders(testOrder());
      button(card as HTMLElement, 'Continuar pagamento').click();
      await settle(fixture);
      http.expectNone((r) => r.url.includes('/api/me/holds'));
      expect(navigate).toHaveBeenCalledWith(['/compra/pagamento']);
    });

    it('Continuar pagamento makes a hold from another tab this tab\'s (listMyHolds), then goes to Pagamento', async () => {
      const { fixture, card, navigate } = await myOrders(testOrder({ id: 'ord-2', holdId: 'h-other',
        showtime: { ...testOrder().showtime, id: 'st-2' } }));
      button(card as HTMLElement, 'Continuar pagamento').click();
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/me/holds')).flush(JSON.stringify({
        items: [{ ...testHold(), id: 'h-other', showtimeId: 'st-2', status: 'ORDERED', orderId: 'ord-2' }],
      }));
      await settle(fixture);
      expect(navigate).toHaveBeenCalledWith(['/compra/pagamento']);
      expect(TestBed.inject(HoldStore).hold()?.id).toBe('h-other');
      expect(JSON.parse(sessionStorage.getItem('bilhetagem.hold')!)).toEqual({ id: 'h-other', showtimeId: 'st-2' });
    });

    it('when its hold is gone meanwhile, says the time to pay ran out and reads the orders again', async () => {
      const { fixture, el, card, navigate } = await myOrders(testOrder({ id: 'ord-2', holdId: 'h-other',
        showtime: { ...testOrder().showtime, id: 'st-2' } }));
      button(card as HTMLElement, 'Continuar pagamento').click();
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/me/holds')).flush(JSON.stringify({ items: [] }));
      await settle(fixture);
      expect(navigate).not.toHaveBeenCalled();
      expect(norm(el.querySelector('[data-testid="cancel-problem"]')?.textContent)).toContain(PAYMENT_WINDOW_CLOSED.title);
      http.expectOne((r) => r.url.includes('/api/me/orders'));
    });
  });
});
