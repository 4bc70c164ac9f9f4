import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { authInterceptor } from '../account/auth.interceptor';
import type { Schemas } from '../api/api-client';
import { HoldStore } from '../seat-selection/hold-store';
import { CARD_NOT_CONFIRMED, CheckoutPage, PIX_POLL_MS } from './checkout-page';
import { PAYMENTS_CONFIG, type PaymentsConfig } from './payments-config';
import {
  STRIPE_JS_URL,
  STRIPE_LOADER,
  type StripeConstructor,
  type StripeElements,
  type StripeJs,
  type StripeJsError,
  StripeService,
  loadStripeJs,
} from './stripe.service';

const money = (amount: number): Schemas['Money'] => ({ amount, currency: 'BRL' });
const future = (ms: number) => new Date(Date.now() + ms).toISOString();
const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();
const button = (el: HTMLElement, text: string | RegExp) =>
  [...el.querySelectorAll('button')].find((b) => (typeof text === 'string' ? norm(b.textContent) === text : text.test(norm(b.textContent)))) as
    | HTMLButtonElement
    | undefined;
const stripeScripts = () => document.querySelectorAll(`script[src^="https://js.stripe.com"]`);

function testHold(): Schemas['Hold'] {
  return {
    id: 'h-abc', showtimeId: 'st-1', status: 'ACTIVE', meiaCount: 0, warnings: [],
    seats: [{ seatId: 'F1', row: 'F', number: 1, seatType: 'STANDARD', ticketType: 'INTEIRA', meia: false,
      ticketPrice: money(5400), surcharge: money(0), price: money(5400) }],
    total: money(5400), createdAt: new Date().toISOString(), expiresAt: future(10 * 60_000),
  };
}

function testOrder(over: Partial<Schemas['Order']> = {}): Schemas['Order'] {
  return {
    id: 'ord-1', status: 'PENDING_PAYMENT', holdId: 'h-abc',
    showtime: { id: 'st-1', movieTitle: 'Linha de Fogo', cinemaName: 'Bilhetagem Paulista', roomName: 'Sala 3',
      startsAt: '2026-11-29T22:35:00Z', format: '2D', language: 'LEGENDADO' },
    tickets: [{ seatId: 'F1', row: 'F', number: 1, seatType: 'STANDARD', ticketType: 'INTEIRA', meia: false, price: money(5400), ticketId: 't-1' }],
    concessions: [],
    totals: { tickets: money(5400), concessions: money(0), convenienceFee: money(800), total: money(6200) },
    createdAt: new Date().toISOString(), expiresAt: future(10 * 60_000), cancellableUntil: future(24 * 3600_000),
    ...over,
  } as Schemas['Order'];
}

const payment = (over: Partial<Schemas['Payment']>): Schemas['Payment'] => ({
  id: 'pay-1', orderId: 'ord-1', method: 'CARD', status: 'APPROVED', amount: money(6200),
  createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(), ...over,
});

/**
 * A fake of the part of Stripe.js the page uses. The element "mounts" by
 * putting an iframe in its host and says it is ready on the next task, as
 * Stripe's does once its iframe loaded.
 */
function fakeStripe() {
  const handlers: Record<string, (e: { error?: StripeJsError }) => void> = {};
  const element = {
    mount: vi.fn((host: HTMLElement) => {
      const frame = document.createElement('iframe');
      frame.title = 'Campo seguro de pagamento';
      host.appendChild(frame);
      setTimeout(() => handlers['ready']?.({}));
    }),
    on: vi.fn((event: string, handler: (e: { error?: StripeJsError }) => void) => {
      handlers[event] = handler;
    }),
    focus: vi.fn(),
    destroy: vi.fn(),
  };
  const elements = {
    create: vi.fn(() => element),
    submit: vi.fn(async (): Promise<{ error?: StripeJsError }> => ({})),
  };
  const stripe = {
    elements: vi.fn(() => elements as StripeElements),
    createPaymentMethod: vi.fn(async (): Promise<{ paymentMethod?: { id: string }; error?: StripeJsError }> => ({
      paymentMethod: { id: 'pm_1Qfake' },
    })),
    handleNextAction: vi.fn(async (): Promise<{ paymentIntent?: { id: string; status: string }; error?: StripeJsError }> => ({
      paymentIntent: { id: 'pi_1', status: 'processing' },
    })),
  };
  return { stripe, elements, element, handlers };
}

const STRIPE: PaymentsConfig = { provider: 'stripe', publishableKey: 'pk_test_bilhetagem' };

describe('Stripe.js loading', () => {
  afterEach(() => {
    stripeScripts().forEach((s) => s.remove());
    delete (window as { Stripe?: unknown }).Stripe;
  });

  it('adds one script tag for js.stripe.com/v3 and makes the Stripe object for the key, in pt-BR, once it loaded', async () => {
    const stripe = fakeStripe().stripe as unknown as StripeJs;
    const first = loadStripeJs('pk_test_a');
    const second = loadStripeJs('pk_test_a');
    expect(stripeScripts()).toHaveLength(1);
    expect((stripeScripts()[0] as HTMLScriptElement).src).toBe(STRIPE_JS_URL);
    const ctor = vi.fn<StripeConstructor>(() => stripe);
    (window as { Stripe?: StripeConstructor }).Stripe = ctor;
    stripeScripts()[0].dispatchEvent(new Event('load'));
    expect(await first).toBe(stripe);
    expect(await second).toBe(stripe);
    expect(ctor).toHaveBeenCalledWith('pk_test_a', { locale: 'pt-BR' });
  });

  it('fails when the script does not load, and removes the tag so the next try adds it again', async () => {
    const failed = loadStripeJs('pk_test_a');
    stripeScripts()[0].dispatchEvent(new Event('error'));
    await expect(failed).rejects.toThrow(/could not load https:\/\/js\.stripe\.com\/v3\//);
    expect(stripeScripts()).toHaveLength(0);
    void loadStripeJs('pk_test_a').catch(() => undefined);
    expect(stripeScripts()).toHaveLength(1);
  });

  it('the service calls the loader once with the publishable key, and again only after a failure', async () => {
    const { stripe } = fakeStripe();
    const loader = vi.fn().mockRejectedValueOnce(new Error('offline')).mockResolvedValue(stripe);
    TestBed.configureTestingModule({ providers: [{ provide: PAYMENTS_CONFIG, useValue: STRIPE }, { provide: STRIPE_LOADER, useValue: loader }] });
    const service = TestBed.inject(StripeService);
    await expect(service.load()).rejects.toThrow('offline');
    expect(await service.load()).toBe(stripe);
    expect(await service.load()).toBe(stripe);
    expect(loader.mock.calls).toEqual([['pk_test_bilhetagem'], ['pk_test_bilhetagem']]);
  });
});

describe('Pagamento: the card part with each payment provider', () => {
  let http: HttpTestingController;
  const settle = async (fixture: { detectChanges(): void }, rounds = 4) => {
    for (let i = 0; i < rounds; i++) {
      await new Promise((r) => setTimeout(r));
      fixture.detectChanges();
    }
  };

  afterEach(() => {
    stripeScripts().forEach((s) => s.remove());
  });

  /** Pagamento with the hold read back and the order created, under the given provider and Stripe loader. */
  async function checkoutWithOrder(payments: PaymentsConfig, loader: (key: string) => Promise<StripeJs>) {
    sessionStorage.clear();
    sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 60_000 }));
    sessionStorage.setItem('bilhetagem.hold', JSON.stringify({ id: 'h-abc', showtimeId: 'st-1' }));
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting(),
        { provide: PAYMENTS_CONFIG, useValue: payments },
        { provide: STRIPE_LOADER, useValue: loader },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigate').mockResolvedValue(true);
    const fixture = TestBed.createComponent(CheckoutPage);
    document.body.appendChild(fixture.nativeElement); // so focus can be checked
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/holds/h-abc')).flush(JSON.stringify(testHold()));
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    button(el, 'Criar pedido')!.click();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/orders')).flush(JSON.stringify(testOrder()), { status: 201, statusText: 'Created' });
    await settle(fixture);
    return { fixture, el, navigate };
  }

  async function stripeCheckout(fake = fakeStripe()) {
    const loader = vi.fn(async (_key: string) => fake.stripe as unknown as StripeJs);
    const page = await checkoutWithOrder(STRIPE, loader);
    return { ...page, loader, fake };
  }

  async function clickPagar(fixture: { detectChanges(): void }, el: HTMLElement) {
    button(el, /^Pagar R\$/)!.click();
    await settle(fixture);
  }

  const paymentPost = () => http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments') && r.method === 'POST');

  it('simulator: the test-card form, and Stripe.js is never loaded (no loader call, no script tag), not even for Pix', async () => {
    const loader = vi.fn((key: string) => loadStripeJs(key));
    const { fixture, el } = await checkoutWithOrder({ provider: 'simulator' }, loader);
    expect(el.querySelector('[data-testid="sim-notice"]')).not.toBeNull();
    expect(el.querySelector('#card-number')).not.toBeNull();
    expect(el.querySelector('app-stripe-card-form')).toBeNull();
    el.querySelector<HTMLInputElement>('input[value="PIX"]')!.click();
    await settle(fixture);
    el.querySelector<HTMLInputElement>('input[value="CARD"]')!.click();
    await settle(fixture);
    expect(loader).not.toHaveBeenCalled();
    expect(stripeScripts()).toHaveLength(0);
    fixture.destroy();
  });

  it('stripe: loads Stripe.js once with the publishable key, mounts a card-only Payment Element for the total, and sends its pm_ as card.token', async () => {
    const { fixture, el, navigate, loader, fake } = await stripeCheckout();
    expect(loader.mock.calls).toEqual([['pk_test_bilhetagem']]);
    expect(fake.stripe.elements).toHaveBeenCalledWith({
      mode: 'payment', amount: 6200, currency: 'brl', paymentMethodCreation: 'manual', paymentMethodTypes: ['card'], locale: 'pt-BR',
    });
    expect(fake.elements.create).toHaveBeenCalledWith('payment', expect.anything());
    const host = el.querySelector<HTMLElement>('[data-testid="stripe-element"]')!;
    expect(fake.element.mount).toHaveBeenCalledWith(host);
    expect(host.querySelector('iframe')).not.toBeNull();
    // The simulator's form and test numbers are gone; the same Pagar button.
    expect(el.querySelector('[data-testid="sim-notice"]')).toBeNull();
    expect(el.querySelector('#card-number')).toBeNull();
    expect(el.querySelector('[data-testid="stripe-loading"]')).toBeNull();

    await clickPagar(fixture, el);
    expect(fake.elements.submit).toHaveBeenCalledTimes(1);
    expect(fake.stripe.createPaymentMethod).toHaveBeenCalledWith({ elements: fake.elements });
    const req = paymentPost();
    expect(JSON.parse(req.request.body as string)).toEqual({ method: 'CARD', card: { token: 'pm_1Qfake', installments: 1 } });
    req.flush(JSON.stringify(payment({ card: { brand: 'VISA', last4: '4242', installments: 1 } })), { status: 201, statusText: 'Created' });
    await settle(fixture);
    expect(navigate).toHaveBeenCalledWith(['/compra/confirmacao', 'ord-1']);
    fixture.destroy();
    expect(fake.element.destroy).toHaveBeenCalled();
  });

  it('stripe: the parcelas the buyer picks beside the element go with the pm_', async () => {
    const { fixture, el } = await stripeCheckout();
    const select = el.querySelector<HTMLSelectElement>('[data-testid="stripe-card"] [data-testid="installments"]')!;
    select.value = '2';
    select.dispatchEvent(new Event('change'));
    await settle(fixture);
    await clickPagar(fixture, el);
    expect(JSON.parse(paymentPost().request.body as string)).toEqual({ method: 'CARD', card: { token: 'pm_1Qfake', installments: 2 } });
    fixture.destroy();
  });

  it('stripe: Stripe.js is loaded once however often the card form is shown again', async () => {
    const { fixture, el, loader, fake } = await stripeCheckout();
    el.querySelector<HTMLInputElement>('input[value="PIX"]')!.click();
    await settle(fixture);
    expect(el.querySelector('app-stripe-card-form')).toBeNull();
    el.querySelector<HTMLInputElement>('input[value="CARD"]')!.click();
    await settle(fixture);
    expect(fake.element.mount).toHaveBeenCalledTimes(2);
    expect(loader).toHaveBeenCalledTimes(1);
    fixture.destroy();
  });

  it('stripe: a card Stripe refuses shows Stripe\'s message as an alert, goes back to the card fields and sends nothing', async () => {
    const fake = fakeStripe();
    fake.elements.submit.mockResolvedValueOnce({ error: { type: 'validation_error', message: 'O número do seu cartão está incompleto.' } });
    const { fixture, el } = await stripeCheckout(fake);
    await clickPagar(fixture, el);
    const alert = el.querySelector('[data-testid="card-error"]');
    expect(alert?.getAttribute('role')).toBe('alert');
    expect(norm(alert?.textContent)).toBe('O número do seu cartão está incompleto.');
    expect(fake.element.focus).toHaveBeenCalled();
    expect(fake.stripe.createPaymentMethod).not.toHaveBeenCalled();
    http.expectNone((r) => r.method === 'POST');
    // A card error from createPaymentMethod is told the same way; a good card then pays.
    fake.stripe.createPaymentMethod.mockResolvedValueOnce({ error: { type: 'card_error', code: 'card_declined', message: 'Seu cartão foi recusado.' } });
    await clickPagar(fixture, el);
    expect(norm(el.querySelector('[data-testid="card-error"]')?.textContent)).toBe('Seu cartão foi recusado.');
    http.expectNone((r) => r.method === 'POST');
    await clickPagar(fixture, el);
    expect(el.querySelector('[data-testid="card-error"]')).toBeNull();
    paymentPost();
    fixture.destroy();
  });

  it('stripe: when Stripe.js does not load, says so (alert) and offers another try and Pix', async () => {
    const fake = fakeStripe();
    const loader = vi.fn().mockRejectedValueOnce(new Error('could not load')).mockResolvedValue(fake.stripe);
    const { fixture, el } = await checkoutWithOrder(STRIPE, loader);
    const notice = el.querySelector('[data-testid="stripe-unavailable"] [role="alert"]');
    expect([...notice!.querySelectorAll('p')].map((p) => norm(p.textContent)))
      .toEqual(['Não foi possível carregar o pagamento com cartão.', 'Verifique a conexão ou pague com Pix.']);
    expect(button(el, /^Pagar R\$/)!.disabled).toBe(true);
    // The focus stays where the buyer is (the method choice); the alert is announced.
    button(el, 'Tentar de novo')!.click();
    await settle(fixture);
    expect(loader).toHaveBeenCalledTimes(2);
    expect(el.querySelector('[data-testid="stripe-unavailable"]')).toBeNull();
    expect(fake.element.mount).toHaveBeenCalledTimes(1);
    expect(button(el, /^Pagar R\$/)!.disabled).toBe(false);
    fixture.destroy();
  });

  it('stripe: "Pagar com Pix" from the load failure switches to Pix', async () => {
    const loader = vi.fn().mockRejectedValue(new Error('blocked'));
    const { fixture, el } = await checkoutWithOrder(STRIPE, loader);
    button(el, 'Pagar com Pix')!.click();
    await settle(fixture);
    expect(el.querySelector<HTMLInputElement>('input[value="PIX"]')!.checked).toBe(true);
    expect(button(el, 'Gerar Pix')).toBeDefined();
    fixture.destroy();
  });

  describe('3-D Secure', () => {
    beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] }));
    afterEach(() => vi.useRealTimers());

    const pending = payment({ status: 'PENDING', action: { clientSecret: 'pi_1_secret_abc' } });

    it('a PENDING payment with action.clientSecret: handleNextAction with it, "Confirme no app do banco" focused, then its status followed to the confirmation', async () => {
      const fake = fakeStripe();
      let passed!: () => void;
      fake.stripe.handleNextAction.mockReturnValueOnce(new Promise((ok) => {
        passed = () => ok({ paymentIntent: { id: 'pi_1', status: 'processing' } });
      }));
      const { fixture, el, navigate } = await stripeCheckout(fake);
      await clickPagar(fixture, el);
      paymentPost().flush(JSON.stringify(pending), { status: 201, statusText: 'Created' });
      await settle(fixture);
      expect(fake.stripe.handleNextAction).toHaveBeenCalledWith({ clientSecret: 'pi_1_secret_abc' });
      const status = el.querySelector<HTMLElement>('[data-testid="card-action"] [role="status"]')!;
      expect(norm(status.textContent)).toMatch(/^Confirme a compra no app do seu banco…/);
      expect(document.activeElement).toBe(status);
      expect(el.querySelector('app-stripe-card-form')).toBeNull();

      passed();
      await settle(fixture);
      expect(norm(el.querySelector('[data-testid="card-action"] [role="status"]')?.textContent)).toMatch(/^Aguardando a confirmação do pagamento…/);
      vi.advanceTimersByTime(PIX_POLL_MS);
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments/pay-1')).flush(JSON.stringify(pending));
      await settle(fixture);
      expect(navigate).not.toHaveBeenCalled();
      vi.advanceTimersByTime(PIX_POLL_MS);
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments/pay-1')).flush(JSON.stringify(payment({ status: 'APPROVED' })));
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/orders/ord-1') && r.method === 'GET').flush(JSON.stringify(testOrder({ status: 'PAID' })));
      await settle(fixture);
      expect(navigate).toHaveBeenCalledWith(['/compra/confirmacao', 'ord-1']);
      expect(fake.stripe.handleNextAction).toHaveBeenCalledTimes(1);
      fixture.destroy();
    });

    it('failed or cancelled at the bank: Stripe\'s message in an alert that takes the focus, then the seat map says the purchase was not confirmed', async () => {
      const fake = fakeStripe();
      fake.stripe.handleNextAction.mockResolvedValueOnce({
        error: { type: 'invalid_request_error', code: 'payment_intent_authentication_failure', message: 'Não foi possível autenticar seu cartão.' },
      });
      const { fixture, el, navigate } = await stripeCheckout(fake);
      await clickPagar(fixture, el);
      paymentPost().flush(JSON.stringify(pending), { status: 201, statusText: 'Created' });
      await settle(fixture);
      const problem = el.querySelector<HTMLElement>('[data-testid="order-problem"]')!;
      expect(problem.querySelector('[role="alert"]')).not.toBeNull();
      expect(norm(problem.textContent)).toContain('Compra não confirmada no banco');
      expect(norm(problem.textContent)).toContain('Não foi possível autenticar seu cartão. A confirmação falhou ou foi cancelada e nada foi cobrado.');
      expect(document.activeElement).toBe(problem);
      expect(navigate).not.toHaveBeenCalled();
      // The webhook fails the payment; polling reads it and the buyer goes back to the seats.
      vi.advanceTimersByTime(PIX_POLL_MS);
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/orders/ord-1/payments/pay-1')).flush(JSON.stringify(payment({ status: 'FAILED' })));
      await settle(fixture);
      expect(navigate).toHaveBeenCalledWith(['/sessoes', 'st-1', 'assentos']);
      expect(TestBed.inject(HoldStore).notice()).toEqual(CARD_NOT_CONFIRMED);
      fixture.destroy();
    });
  });
});
