import { ChangeDetectionStrategy, Component, ElementRef, inject, resource, signal, viewChild } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { NoticesStore } from '../account/notices';
import { API_CLIENT, type Schemas, unwrap } from '../api/api-client';
import { type ProblemMessage, problemMessage } from '../api/problem-message';
import { concessionText } from '../checkout/order-summary';
import { HoldStore } from '../seat-selection/hold-store';
import { BrlPipe, SpShowtimePipe, SpTimePipe } from '../shared/locale/pipes';
import { EmptyState, LoadingState, Notice } from '../shared/ui/page-states';
import { TicketQr } from './ticket-qr';

type Order = Schemas['Order'];

/** The status chip's words for each order state. */
export const ORDER_STATUS_LABELS: Record<Schemas['OrderStatus'], string> = {
  PENDING_PAYMENT: 'Aguardando pagamento',
  PAID: 'Pago',
  CANCELLED: 'Cancelado · reembolso em andamento',
  REFUNDED: 'Cancelado · reembolsado',
  EXPIRED: 'Expirado',
  FAILED: 'Pagamento recusado',
};

/** A paid order the buyer may still cancel (the server decides; this only hides the button after the window). */
export function isCancellable(order: Order, now = Date.now()): boolean {
  return order.status === 'PAID' && Date.parse(order.cancellableUntil) > now;
}

/** An order still waiting for its payment, before it expires with its hold. */
export function isPayable(order: Order, now = Date.now()): boolean {
  return order.status === 'PENDING_PAYMENT' && Date.parse(order.expiresAt) > now;
}

/** What "Continuar pagamento" says when the order's hold is no longer there to pay (it expired meanwhile). */
export const PAYMENT_WINDOW_CLOSED: ProblemMessage = {
  kind: 'info',
  code: 'hold_expired',
  title: 'O prazo para pagar acabou',
  detail: 'Este pedido expirou e nada foi cobrado. Os assentos foram liberados.',
};

/**
 * Meus pedidos (/conta/pedidos): the buyer's orders (listMyOrders) with a
 * status chip, the bomboniere items and, once paid, the pickup code (as text
 * and as a QR code the counter's camera reads); a paid order can be
 * cancelled while its window is open, after a confirm dialog, and then shows
 * its refund. An order waiting for payment says until when
 * and offers "Continuar pagamento": its hold becomes this tab's (listMyHolds
 * when another tab made it) and Pagamento reads the order back with its
 * payment, so a Pix made in another tab or on another device shows its QR
 * code again. The API cancels paid orders only: an unpaid one expires by
 * itself.
 */
@Component({
  selector: 'app-my-orders-page',
  imports: [RouterLink, LoadingState, EmptyState, Notice, TicketQr, BrlPipe, SpShowtimePipe, SpTimePipe],
  template: `
    <h1>Meus pedidos</h1>
    @if (problem(); as p) {
      <app-notice [message]="p" data-testid="cancel-problem" />
    }
    @if (orders.error(); as err) {
      <app-notice [message]="message(err, 'ver seus pedidos')" [retryable]="true" (retry)="orders.reload()" />
    } @else if (!orders.hasValue()) {
      <app-loading-state label="Carregando seus pedidos…" [count]="2" />
    } @else if (orders.value().length === 0) {
      <app-empty-state message="Você ainda não comprou ingressos."><a routerLink="/">Ver filmes em cartaz</a></app-empty-state>
    } @else {
      <ul role="list" class="orders">
        @for (o of orders.value(); track o.id) {
          <li class="order" data-testid="order" [attr.data-order]="o.id">
            <div class="head">
              <h2>{{ o.showtime.movieTitle }}</h2>
              <span class="chip" [class]="'chip ' + o.status.toLowerCase()" data-testid="order-status">{{ statusLabel[o.status] }}</span>
            </div>
            <p>{{ o.showtime.cinemaName }}, {{ o.showtime.roomName }} · {{ o.showtime.startsAt | spShowtime }}</p>
            @for (n of notices.forShowtime(o.showtime.id); track n.id) {
              <p class="order-notice" role="note" data-testid="order-notice"><strong>Aviso do cinema:</strong> {{ n.message }}</p>
            }
            <p>{{ o.tickets.length }} {{ o.tickets.length === 1 ? 'ingresso' : 'ingressos' }}
              ({{ seats(o) }}) · total {{ o.totals.total | brl }}</p>
            @if (o.concessions.length) {
              <div class="concessions" data-testid="order-concessions">
                <h3>Bomboniere</h3>
                <ul role="list">
                  @for (c of o.concessions; track $index) {
                    <li>{{ concession(c) }}</li>
                  }
                </ul>
              </div>
            }
            @if (o.status === 'PAID' && o.pickupCode) {
              <div class="pickup">
                <p data-testid="order-pickup">Código de retirada na bomboniere: <strong class="code">{{ o.pickupCode }}</strong></p>
                <app-ticket-qr [payload]="o.pickupCode" [label]="'QR do código de retirada ' + o.pickupCode" [size]="160"
                  data-testid="order-pickup-qr" />
              </div>
            }
            @if (payable(o)) {
              <p class="pay-by" data-testid="pay-by">Pague até {{ o.expiresAt | spTime }}. Sem o pagamento, o pedido expira sozinho,
                os assentos são liberados e nada é cobrado.</p>
            }
            @if (o.refund) {
              <p class="refund" data-testid="refund">Reembolso de {{ o.refund | brl }}
                {{ o.status === 'REFUNDED' ? 'concluído' : 'solicitado ao meio de pagamento' }}.</p>
            }
            <div class="actions">
              @if (o.status === 'PAID') {
                <a [routerLink]="['/compra/confirmacao', o.id]">Ver ingressos</a>
              }
              @if (o.paidAt) {
                <a [routerLink]="['/conta/pedidos', o.id, 'recibo']" data-testid="receipt-link">Recibo<span class="visually-hidden"> do pedido de {{ o.showtime.movieTitle }}</span></a>
              }
              @if (payable(o)) {
                <button type="button" class="btn btn-primary" [disabled]="resuming() !== null" (click)="continuePayment(o)">
                  {{ resuming() === o.id ? 'Abrindo…' : 'Continuar pagamento' }}
                </button>
              }
              @if (cancellable(o)) {
                <button type="button" class="btn btn-secondary" (click)="ask(o)">Cancelar pedido</button>
                <span class="until">Cancelamento até {{ o.cancellableUntil | spShowtime }}</span>
              }
            </div>
          </li>
        }
      </ul>
    }
    <dialog #confirm aria-labelledby="cancel-title" (close)="asking.set(null)">
      @if (asking(); as o) {
        <h2 id="cancel-title">Cancelar este pedido?</h2>
        <p>{{ o.showtime.movieTitle }} · {{ o.showtime.startsAt | spShowtime }}. Os ingressos deixam de valer,
          os assentos voltam à venda e {{ o.totals.total | brl }} são estornados no mesmo meio de pagamento.</p>
        <div class="dialog-actions">
          <button type="button" class="btn btn-secondary" (click)="closeDialog()">Manter pedido</button>
          <button type="button" class="btn btn-danger" [disabled]="cancelling()" (click)="cancel(o)">
            {{ cancelling() ? 'Cancelando…' : 'Sim, cancelar' }}
          </button>
        </div>
      }
    </dialog>
  `,
  styles: `
    :host { display: block; }
    h1 { margin: 0 0 var(--space-3); font-size: var(--text-xl); }
    app-notice { display: block; margin-bottom: var(--space-4); }
    .orders { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--space-3); }
    .order { padding: var(--space-4); background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    .order p { margin: var(--space-1) 0; }
    .order .order-notice { margin: var(--space-2) 0; padding: var(--space-2) var(--space-3); background: var(--color-warning-bg);
      border-radius: var(--radius-sm); }
    .head { display: flex; justify-content: space-between; align-items: flex-start; gap: var(--space-2); }
    h2 { margin: 0; font-size: var(--text-lg); }
    .chip { flex: none; padding: var(--space-1) var(--space-2); border-radius: 999px; font-size: var(--text-sm);
      font-weight: var(--weight-semibold); background: var(--color-surface-sunken); color: var(--color-text); }
    .chip.paid { background: var(--color-success-bg); color: var(--color-success); }
    .chip.pending_payment { background: var(--color-warning-bg); color: var(--color-on-warning); }
    .chip.failed, .chip.expired { background: var(--color-danger-bg); color: var(--color-danger); }
    .chip.cancelled, .chip.refunded { background: var(--color-info-bg); color: var(--color-on-info); }
    .refund, .pay-by { color: var(--color-text-muted); }
    .concessions h3 { margin: var(--space-2) 0 var(--space-1); font-size: var(--text-md); }
    .concessions ul { margin: 0; padding-left: var(--space-4); }
    .pickup app-ticket-qr { margin-top: var(--space-1); }
    .pickup .code { font-family: var(--font-mono); font-size: var(--text-lg); letter-spacing: 0.15em; }
    .actions { display: flex; align-items: center; gap: var(--space-3); flex-wrap: wrap; margin-top: var(--space-2); }
    .until { color: var(--color-text-muted); font-size: var(--text-sm); }
    dialog { border: 0; border-radius: var(--radius-md); padding: var(--space-4); max-width: 24rem; box-shadow: var(--shadow-1);
      background: var(--color-surface); color: var(--color-text); }
    dialog::backdrop { background: rgb(0 0 0 / 0.5); }
    .btn-danger { background: var(--color-danger); color: var(--color-text-inverse); }
    .dialog-actions { display: flex; justify-content: flex-end; gap: var(--space-3); flex-wrap: wrap; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyOrdersPage {
  private readonly api = inject(API_CLIENT);
  protected readonly notices = inject(NoticesStore);
  private readonly holds = inject(HoldStore);
  private readonly router = inject(Router);
  private readonly dialog = viewChild<ElementRef<HTMLDialogElement>>('confirm');
  protected readonly message = problemMessage;
  protected readonly statusLabel = ORDER_STATUS_LABELS;
  protected readonly cancellable = (o: Order) => isCancellable(o);
  protected readonly payable = (o: Order) => isPayable(o);
  protected readonly concession = concessionText;
  /** The order whose payment is being reopened. */
  protected readonly resuming = signal<string | null>(null);
  protected readonly asking = signal<Order | null>(null);
  protected readonly cancelling = signal(false);
  protected readonly problem = signal<ProblemMessage | null>(null);
  protected readonly orders = resource({
    loader: async () => unwrap(await this.api.GET('/me/orders', { params: { query: { limit: 50 } } })).items,
  });

  protected seats(o: Order): string {
    return o.tickets.map((t) => t.seatId).join(', ');
  }

  /**
   * Back to Pagamento with the order's hold as this tab's: kept as it is when
   * this tab holds it, else found with listMyHolds (a hold made in another
   * tab). Pagamento reads the order back from the hold.
   */
  protected async continuePayment(o: Order): Promise<void> {
    this.problem.set(null);
    this.resuming.set(o.id);
    try {
      const here = this.holds.hold()?.id ?? this.holds.saved()?.id;
      if (here !== o.holdId && (await this.holds.adopt(o.showtime.id))?.id !== o.holdId) {
        this.problem.set(PAYMENT_WINDOW_CLOSED);
        this.orders.reload();
        return;
      }
      await this.router.navigate(['/compra/pagamento']);
    } catch (err) {
      this.problem.set(problemMessage(err, 'continuar o pagamento'));
    } finally {
      this.resuming.set(null);
    }
  }

  protected ask(o: Order): void {
    this.problem.set(null);
    this.asking.set(o);
    const d = this.dialog()?.nativeElement;
    if (d && typeof d.showModal === 'function' && !d.open) d.showModal();
  }

  protected closeDialog(): void {
    const d = this.dialog()?.nativeElement;
    if (d?.open && typeof d.close === 'function') d.close();
    this.asking.set(null);
  }

  protected async cancel(o: Order): Promise<void> {
    this.cancelling.set(true);
    try {
      const updated = unwrap(await this.api.POST('/orders/{orderId}/cancel', { params: { path: { orderId: o.id } }, body: {} }));
      this.orders.update((list) => list?.map((x) => (x.id === updated.id ? updated : x)));
    } catch (err) {
      this.problem.set(problemMessage(err, 'cancelar o pedido'));
    } finally {
      this.cancelling.set(false);
      this.closeDialog();
    }
  }
}
