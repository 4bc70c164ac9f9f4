import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { HttpClient } from '@angular/common/http';
import { FormsModule } from '@angular/forms';
import { firstValueFrom } from 'rxjs';
import { Router, RouterLink } from '@angular/router';
import { randomToken } from '../account/pkce';
import { API_CLIENT, type Schemas, unwrap } from '../api/api-client';
import { type ProblemMessage, problemMessage } from '../api/problem-message';
import { type CartLine, CartStore } from '../concessions/cart-store';
import { NO_HOLD, injectActiveHold } from '../seat-selection/active-hold';
import { HoldStatus } from '../seat-selection/hold-status';
import { HoldStore } from '../seat-selection/hold-store';
import { HoldSummary } from '../seat-selection/hold-summary';
import { BrlPipe, SpTimePipe } from '../shared/locale/pipes';
import { LoadingState, Notice } from '../shared/ui/page-states';
import { Stepper } from '../shared/ui/stepper';
import { OrderAttempts } from './order-attempt';
import { OrderSummary, type SummaryLine, orderLines } from './order-summary';
import { Installments } from './installments';
import { PAYMENTS_CONFIG } from './payments-config';
import { StripeCardForm } from './stripe-card-form';
import { StripeCardError, StripeService } from './stripe.service';

export type PayMethod = 'CARD' | 'PIX';

/** The simulated PSP's test cards (local and test environments only). */
export const TEST_CARDS = [
  { number: '4111111111111111', outcome: 'aprovado' },
  { number: '4000000000000002', outcome: 'recusado' },
] as const;

/** How often a pending Pix is checked (getPayment, then getOrder). */
export const PIX_POLL_MS = 3000;

/** What the seat map says after a declined card: the order failed and its seats were freed. */
export const PAYMENT_DECLINED: ProblemMessage = {
  kind: 'error',
  code: 'payment_declined',
  title: 'Pagamento recusado',
  detail: 'O cartão foi recusado e nada foi cobrado. Seus assentos foram liberados: escolha de novo para tentar outra vez.',
};

/** What the seat map says when the bank's confirmation (3-D Secure) failed or was cancelled and the order ended. */
export const CARD_NOT_CONFIRMED: ProblemMessage = {
  kind: 'error',
  code: 'payment_not_authenticated',
  title: 'Compra não confirmada no banco',
  detail: 'A confirmação no app do seu banco falhou ou foi cancelada, e nada foi cobrado. Seus assentos foram liberados: escolha de novo para tentar outra vez.',
};

/** What Pagamento says at once when 3-D Secure failed or was cancelled; Stripe's own message goes first when it gave one. */
export function cardNotConfirmedNow(stripeMessage?: string): ProblemMessage {
  return {
    kind: 'error',
    code: 'payment_not_authenticated',
    title: 'Compra não confirmada no banco',
    detail: `${stripeMessage ? stripeMessage + ' ' : ''}A confirmação falhou ou foi cancelada e nada foi cobrado. Aguarde: em instantes mostramos o resultado do pedido.`,
  };
}

/** What the page says when the Pix charge ran out before being paid. */
export const PIX_EXPIRED: ProblemMessage = {
  kind: 'error',
  code: 'payment_expired',
  title: 'O Pix expirou',
  detail: 'O prazo para pagar acabou e nada foi cobrado. Os assentos foram liberados: escolha de novo.',
};

/** The cart as summary lines before the order exists: menu prices, for display only. */
export function cartLines(lines: readonly CartLine[]): SummaryLine[] {
  return lines.map((l) => ({
    label: `${l.quantity}× ${l.name}`,
    detail: [l.sizeLabel, ...l.flavours].filter(Boolean).join(' · ') || undefined,
    amount: { amount: l.unitPrice.amount * l.quantity, currency: l.unitPrice.currency },
  }));
}

/** Digits only, at most 19. */
export function cardDigits(value: string): string {
  return value.replace(/\D/g, '').slice(0, 19);
}

/** The token the simulated PSP's "tokenization" gives for a test card: the card number never reaches the API as such. */
export function simulatedCardToken(number: string): string {
  return `sim_${cardDigits(number)}`;
}

/**
 * Pagamento: the hold's countdown and summary, "Criar pedido" (createOrder),
 * then Cartão (the simulator's test-card form that sends a `sim_` token, or
 * Stripe's Payment Element that sends a `pm_…` one, with 3-D Secure when the
 * bank asks) or Pix (QR and copia-e-cola). A pending payment is polled until
 * it settles. An approved payment goes to the confirmation; a declined card
 * back to the seat map with a notice.
 * The order and payment ids are kept beside the hold (OrderAttempts), so a
 * reload reads them back (getOrder, getPayment) and never orders twice.
 */
@Component({
  selector: 'app-checkout-page',
  imports: [RouterLink, FormsModule, Stepper, HoldStatus, HoldSummary, OrderSummary, LoadingState, Notice, BrlPipe, SpTimePipe, StripeCardForm, Installments],
  template: `
    <app-stepper [current]="2" />
    @if (active.state() === 'loading') {
      <app-loading-state label="Carregando sua reserva…" [count]="1" />
    } @else if (active.state() === 'error') {
      <app-notice [message]="active.problem()!" [retryable]="true" (retry)="active.reload()" />
    } @else if (active.hold(); as h) {
      <app-hold-status [hold]="h" />
      <h1>Pagamento</h1>
      @if (resuming()) {
        <app-loading-state label="Retomando seu pedido…" [count]="1" />
      } @else if (order(); as o) {
        <app-order-summary heading="Seu pedido" [lines]="lines(o)" [total]="o.totals.total" data-testid="order-summary" />
      } @else {
        <app-hold-summary [hold]="h" heading="Sua reserva" />
        @if (cart.lines().length) {
          <app-order-summary heading="Sua bomboniere" [lines]="cartSummary()" data-testid="cart-summary" />
          <p class="hint">Preços do cardápio; o servidor confirma os valores e soma a taxa de conveniência ao criar o pedido.
            <a routerLink="/compra/bomboniere">Alterar bomboniere</a></p>
        }
      }
      @if (problem(); as p) {
        <app-notice [message]="p" data-testid="order-problem" tabindex="-1" />
      }
      @if (order(); as o) {
        <p role="status" class="ok" data-testid="order-created">
          Pedido criado, aguardando pagamento: total {{ o.totals.total | brl }}
          (ingressos {{ o.totals.tickets | brl }} + taxa de conveniência {{ o.totals.convenienceFee | brl }}@if (o.totals.concessions.amount > 0) { + bomboniere {{ o.totals.concessions | brl }}}).
        </p>

        @if (pix(); as pix) {
          <section class="panel" aria-labelledby="pix-title" data-testid="pix">
            <h2 id="pix-title">Pague com Pix</h2>
            <p>Abra o app do seu banco, escolha Pix e leia o QR code ou cole o código abaixo.
              Pague até {{ pix.expiresAt | spTime }}.</p>
            <img class="pix-qr" [src]="'data:image/png;base64,' + pix.qrCodePng" alt="QR code do Pix" width="200" height="200" />
            <label for="pix-code">Pix copia e cola</label>
            <div class="copy">
              <input id="pix-code" readonly [value]="pix.copyPaste" />
              <button type="button" class="btn btn-secondary" (click)="copyPix(pix.copyPaste)">Copiar código</button>
            </div>
            @if (simulatorPixPay(); as path) {
              <div class="sim-pix" data-testid="pix-simulator">
                <p>Ambiente de teste: este Pix é simulado e nenhum banco o recebe. Pague-o aqui, como faria o app do banco.</p>
                <button type="button" class="btn btn-secondary" [disabled]="simPaying()" (click)="payPixWithSimulator(path)">
                  {{ simPaying() ? 'Pagando…' : 'Pagar com o simulador' }}
                </button>
              </div>
            }
            <p role="status" class="pix-status" data-testid="pix-status">
              @if (copied()) { Código copiado. }
              Aguardando o pagamento… a confirmação aparece aqui sozinha.
            </p>
          </section>
        } @else if (cardAction(); as step) {
          <section class="panel" aria-labelledby="card-action-title" data-testid="card-action">
            <h2 id="card-action-title">Cartão de crédito</h2>
            <p role="status" class="card-step" tabindex="-1">
              @if (step === 'authenticating') {
                Confirme a compra no app do seu banco… a janela de verificação do banco aparece nesta página.
              } @else {
                Aguardando a confirmação do pagamento… o resultado aparece aqui sozinho.
              }
            </p>
          </section>
        } @else {
          <fieldset class="methods" [disabled]="paying()">
            <legend>Forma de pagamento</legend>
            <label><input type="radio" name="method" value="CARD" [(ngModel)]="method" /> Cartão de crédito</label>
            <label><input type="radio" name="method" value="PIX" [(ngModel)]="method" /> Pix</label>
          </fieldset>

          @if (method() === 'CARD' && stripe.enabled) {
            <app-stripe-card-form [total]="o.totals.total" [paying]="paying()" (pay)="payWithCard(o, $event)" (usePix)="method.set('PIX')" />
          } @else if (method() === 'CARD') {
            <form class="panel" (ngSubmit)="payByCard(o)" aria-labelledby="card-title">
              <h2 id="card-title">Cartão de crédito</h2>
              <p class="sim" data-testid="sim-notice">
                Ambiente de teste simulado: nenhum cartão real é cobrado e só o número de teste é usado.
                Números de teste:
              </p>
              <ul class="test-cards">
                @for (c of testCards; track c.number) {
                  <li><code>{{ c.number }}</code> — {{ c.outcome }}
                    <button type="button" class="link" (click)="cardNumber.set(c.number)">Usar<span class="visually-hidden"> o cartão {{ c.outcome }}</span></button></li>
                }
              </ul>
              <label for="card-number">Número do cartão</label>
              <input id="card-number" name="cardNumber" inputmode="numeric" autocomplete="off"
                [ngModel]="cardNumber()" (ngModelChange)="cardNumber.set(digits($event))" required />
              <app-installments [total]="o.totals.total" [(count)]="installments" />
              <button type="submit" class="btn btn-primary" [disabled]="paying() || cardNumber().length < 12">
                {{ paying() ? 'Pagando…' : 'Pagar ' + (o.totals.total | brl) }}
              </button>
            </form>
          } @else {
            <div class="panel">
              <p>Geramos um QR code e um código copia e cola; o pagamento é confirmado em instantes.</p>
              <button type="button" class="btn btn-primary" [disabled]="paying()" (click)="payByPix(o)">
                {{ paying() ? 'Gerando Pix…' : 'Gerar Pix' }}
              </button>
            </div>
          }
        }
      } @else {
        <div class="actions">
          <a class="btn btn-secondary" routerLink="/compra/bomboniere">Voltar</a>
          <button type="button" class="btn btn-primary" [disabled]="busy()" (click)="createOrder(h)">
            {{ busy() ? 'Criando pedido…' : 'Criar pedido' }}
          </button>
        </div>
      }
    } @else {
      <app-notice [message]="noHold" />
      <p><a routerLink="/">Ver filmes em cartaz</a></p>
    }
  `,
  styles: `
    :host { display: block; }
    app-stepper, app-hold-status, app-notice, app-hold-summary { display: block; margin-bottom: var(--space-4); }
    h1 { margin: 0 0 var(--space-3); font-size: var(--text-xl); }
    h2 { margin: 0 0 var(--space-3); font-size: var(--text-lg); }
    .ok { color: var(--color-success); font-weight: var(--weight-semibold); }
    .hint { margin: calc(-1 * var(--space-2)) 0 var(--space-4); color: var(--color-text-muted); font-size: var(--text-sm); }
    app-order-summary { display: block; margin-bottom: var(--space-4); }
    .actions { display: flex; gap: var(--space-3); justify-content: space-between; flex-wrap: wrap; }
    .panel { display: grid; gap: var(--space-3); padding: var(--space-4); margin-bottom: var(--space-4);
      background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    .panel p { margin: 0; }
    .methods { display: flex; gap: var(--space-4); flex-wrap: wrap; border: 1px solid var(--color-border);
      border-radius: var(--radius-md); padding: var(--space-3); margin: 0 0 var(--space-4); }
    .methods label { display: flex; gap: var(--space-2); align-items: center; min-height: 44px; }
    .sim { color: var(--color-text-muted); }
    .test-cards { margin: 0; padding-left: var(--space-4); }
    .test-cards li { min-height: 44px; display: flex; align-items: center; gap: var(--space-2); flex-wrap: wrap; }
    .link { background: none; border: 0; color: var(--color-link, var(--color-primary)); text-decoration: underline;
      min-height: 44px; cursor: pointer; font: inherit; }
    input:not([type=radio]) { font: inherit; padding: var(--space-2); min-height: 44px; border: 1px solid var(--color-border);
      border-radius: var(--radius-sm); width: 100%; box-sizing: border-box; }
    .copy { display: flex; gap: var(--space-2); }
    .card-step { font-weight: var(--weight-semibold); }
    .sim-pix { border: 1px dashed currentColor; border-radius: .5rem; padding: .75rem; display: grid; gap: .5rem; }
    .sim-pix p { margin: 0; }
    .pix-qr { justify-self: center; image-rendering: pixelated; background: #fff; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CheckoutPage {
  private readonly api = inject(API_CLIENT);
  private readonly holds = inject(HoldStore);
  protected readonly cart = inject(CartStore);
  private readonly router = inject(Router);
  protected readonly stripe = inject(StripeService);
  private readonly injector = inject(Injector);
  protected readonly lines = orderLines;
  protected readonly cartSummary = computed(() => cartLines(this.cart.lines()));
  protected readonly active = injectActiveHold();
  protected readonly noHold = NO_HOLD;
  protected readonly testCards = TEST_CARDS;
  protected readonly digits = cardDigits;
  protected readonly busy = signal(false);
  protected readonly paying = signal(false);
  protected readonly copied = signal(false);
  protected readonly problem = signal<ProblemMessage | null>(null);
  protected readonly order = signal<Schemas['Order'] | null>(null);
  protected readonly payment = signal<Schemas['Payment'] | null>(null);
  protected readonly method = signal<PayMethod>('CARD');
  protected readonly cardNumber = signal('');
  protected readonly installments = signal(1);
  /** A card payment past createPayment: in the bank's confirmation (3-D Secure), or followed until it settles. */
  protected readonly cardAction = signal<'authenticating' | 'following' | null>(null);
  /** Payments whose 3-D Secure step this page ran, so a repeated settle does not open it twice. */
  private readonly authenticated = new Set<string>();
  /** The bank's confirmation failed: a failed payment is told as that, not as a declined card. */
  private notConfirmed = false;
  protected readonly pix = computed(() => (this.payment()?.method === 'PIX' ? (this.payment()?.pix ?? null) : null));
  private readonly payments = inject(PAYMENTS_CONFIG);
  private readonly http = inject(HttpClient);
  /** A local run's simulator pays a Pix on request; no deployed stack offers it. */
  protected readonly simulatorPixPay = computed(() => (this.payments.provider === 'simulator' ? (this.payments.pixPay ?? null) : null));
  protected readonly simPaying = signal(false);
  private readonly attempts = inject(OrderAttempts);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  /** Reading the order (and payment) of this hold back after a reload. */
  protected readonly resuming = signal(false);
  private resumedFor: string | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stopPolling());
    effect(() => {
      const id = this.active.hold()?.id;
      if (id) untracked(() => this.cart.open(id));
    });
    effect(() => {
      const hold = this.active.hold();
      if (hold && hold.id !== this.resumedFor) untracked(() => void this.resume(hold));
    });
  }

  /**
   * The order this hold already became (getHold's `orderId`, or the one saved
   * in this tab) is read back with getOrder, and its payment (the order's
   * `payment`, whichever tab or device asked for it) with getPayment: a
   * pending Pix shows again and is polled, a finished one moves on.
   */
  private async resume(hold: Schemas['Hold']): Promise<void> {
    this.resumedFor = hold.id;
    const saved = this.attempts.get(hold.id);
    const orderId = hold.orderId ?? saved?.orderId;
    if (!orderId || this.order()?.id === orderId) return;
    this.resuming.set(true);
    try {
      const order = unwrap(await this.api.GET('/orders/{orderId}', { params: { path: { orderId } } }));
      this.order.set(order);
      this.attempts.setOrder(hold.id, order.id);
      if (order.status === 'PAID') {
        await this.settle({ status: 'APPROVED' } as Schemas['Payment']);
        return;
      }
      if (order.status !== 'PENDING_PAYMENT') {
        await this.settle({ status: order.status === 'EXPIRED' ? 'EXPIRED' : 'FAILED' } as Schemas['Payment']);
        return;
      }
      const paymentId = order.payment?.id ?? (saved?.orderId === order.id ? saved.paymentId : undefined);
      if (paymentId) {
        this.attempts.setPayment(hold.id, paymentId);
        const payment = unwrap(
          await this.api.GET('/orders/{orderId}/payments/{paymentId}', { params: { path: { orderId, paymentId } } }),
        );
        this.payment.set(payment);
        if (payment.status === 'PENDING') this.method.set(payment.method);
        await this.settle(payment);
      }
    } catch (err) {
      this.problem.set(problemMessage(err, 'carregar seu pedido'));
    } finally {
      this.resuming.set(false);
    }
  }

  protected async createOrder(hold: Schemas['Hold']): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    const body = this.orderRequest(hold);
    try {
      const order = unwrap(
        await this.api.POST('/orders', {
          // One key per hold and body, kept in this tab: a retry, even after a reload, replays the same order.
          params: { header: { 'Idempotency-Key': this.attempts.keyFor(hold.id, body) } },
          body,
        }),
      );
      this.attempts.setOrder(hold.id, order.id);
      this.order.set(order);
    } catch (err) {
      this.problem.set(problemMessage(err, 'criar o pedido'));
    } finally {
      this.busy.set(false);
    }
  }

  /** The hold and the chosen bomboniere lines; the server prices them. */
  private orderRequest(hold: Schemas['Hold']): Schemas['CreateOrderRequest'] {
    const concessions = this.cart.request();
    return concessions.length ? { holdId: hold.id, concessions } : { holdId: hold.id };
  }

  protected payByCard(order: Schemas['Order']): Promise<void> {
    return this.payWithCard(order, { token: simulatedCardToken(this.cardNumber()), installments: this.installments() });
  }

  /** The card token from the simulated form (`sim_…`) or from Stripe (`pm_…`). */
  protected payWithCard(order: Schemas['Order'], card: Schemas['CardPaymentRequest']): Promise<void> {
    return this.pay(order, { method: 'CARD', card });
  }

  protected payByPix(order: Schemas['Order']): Promise<void> {
    return this.pay(order, { method: 'PIX' });
  }

  private async pay(order: Schemas['Order'], body: Schemas['CreatePaymentRequest']): Promise<void> {
    this.paying.set(true);
    this.problem.set(null);
    try {
      const payment = unwrap(
        await this.api.POST('/orders/{orderId}/payments', {
          // A new key per attempt: a declined card ends the order, a retry is another payment.
          params: { path: { orderId: order.id }, header: { 'Idempotency-Key': randomToken(16) } },
          body,
        }),
      );
      this.payment.set(payment);
      this.attempts.setPayment(order.holdId, payment.id);
      await this.settle(payment);
    } catch (err) {
      this.problem.set(problemMessage(err, 'pagar o pedido'));
    } finally {
      this.paying.set(false);
    }
  }

  /** Acts on a payment's state: approved → confirmation, declined → seat map, pending Pix → keep polling. */
  private async settle(payment: Schemas['Payment']): Promise<void> {
    const order = this.order()!;
    switch (payment.status) {
      case 'APPROVED':
        this.stopPolling();
        await this.router.navigate(['/compra/confirmacao', order.id]);
        this.holds.clear();
        this.cart.clear();
        this.attempts.clear();
        return;
      case 'DECLINED':
      case 'FAILED':
        this.stopPolling();
        this.holds.clear();
        this.cart.clear();
        this.attempts.clear();
        this.holds.notice.set(this.notConfirmed ? CARD_NOT_CONFIRMED : PAYMENT_DECLINED);
        await this.router.navigate(['/sessoes', order.showtime.id, 'assentos']);
        return;
      case 'EXPIRED':
        this.stopPolling();
        this.holds.clear();
        this.cart.clear();
        this.attempts.clear();
        this.holds.notice.set(PIX_EXPIRED);
        await this.router.navigate(['/sessoes', order.showtime.id, 'assentos']);
        return;
      case 'PENDING':
        // Followed by getPayment as a Pix is, until the PSP settles it.
        this.startPolling(payment);
        if (payment.method === 'CARD') await this.followCard(payment);
        return;
      default:
        return;
    }
  }

  /**
   * A pending card: with Stripe's `action.clientSecret`, Stripe.js runs the
   * bank's 3-D Secure step (once per payment); then, or without an action,
   * the page waits for the webhook's verdict, which polling reads.
   */
  private async followCard(payment: Schemas['Payment']): Promise<void> {
    const clientSecret = payment.action?.clientSecret;
    if (!clientSecret || !this.stripe.enabled) {
      this.cardAction.set('following');
      this.problem.set({ kind: 'info', code: 'payment_pending', title: 'Pagamento em análise',
        detail: 'O emissor ainda não respondeu. Acompanhe o pedido aqui ou em Meus pedidos.' });
      return;
    }
    if (this.authenticated.has(payment.id)) return;
    this.authenticated.add(payment.id);
    this.cardAction.set('authenticating');
    this.focusAfterRender(() => this.host.nativeElement.querySelector<HTMLElement>('.card-step'));
    try {
      await this.stripe.handleNextAction(clientSecret);
      this.cardAction.set('following');
    } catch (err) {
      this.notConfirmed = true;
      this.cardAction.set('following');
      this.problem.set(cardNotConfirmedNow(err instanceof StripeCardError ? err.stripe.message : undefined));
      this.focusAfterRender(() => this.host.nativeElement.querySelector<HTMLElement>('[data-testid="order-problem"]'));
    }
  }

  private focusAfterRender(target: () => HTMLElement | null): void {
    afterNextRender(() => target()?.focus(), { injector: this.injector });
  }

  private startPolling(payment: Schemas['Payment']): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.poll(payment.orderId, payment.id), PIX_POLL_MS);
  }

  private stopPolling(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** getPayment, and getOrder once the payment is no longer pending (the order turns PAID after the approval). */
  private async poll(orderId: string, paymentId: string): Promise<void> {
    try {
      const payment = unwrap(await this.api.GET('/orders/{orderId}/payments/{paymentId}', { params: { path: { orderId, paymentId } } }));
      this.payment.set(payment);
      if (payment.status === 'PENDING') {
        if (payment.pix && Date.parse(payment.pix.expiresAt) <= Date.now()) await this.settle({ ...payment, status: 'EXPIRED' });
        return;
      }
      if (payment.status === 'APPROVED') {
        const order = unwrap(await this.api.GET('/orders/{orderId}', { params: { path: { orderId } } }));
        if (order.status === 'PENDING_PAYMENT') return;
      }
      await this.settle(payment);
    } catch {
      // a missed poll: the next one tries again
    }
  }

  /** Pays the pending Pix through the local simulator, then reads the payment at once instead of at the next poll. */
  protected async payPixWithSimulator(path: string): Promise<void> {
    const payment = this.payment();
    if (!payment) return;
    this.simPaying.set(true);
    try {
      await firstValueFrom(this.http.post(path.replace('{paymentId}', encodeURIComponent(payment.id)), null));
      await this.poll(payment.orderId, payment.id);
    } catch {
      this.problem.set({ kind: 'error', title: 'O simulador não pagou este Pix', detail: 'Tente de novo em instantes, ou gere outro Pix.' });
    } finally {
      this.simPaying.set(false);
    }
  }

  protected async copyPix(code: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(code);
    } catch {
      (document.getElementById('pix-code') as HTMLInputElement | null)?.select();
    }
    this.copied.set(true);
  }
}
