import { ChangeDetectionStrategy, Component, inject, input, resource } from '@angular/core';
import { RouterLink } from '@angular/router';
import { API_CLIENT, type Schemas, unwrap } from '../api/api-client';
import { problemMessage } from '../api/problem-message';
import { formatMoney, formatTimeAndDate } from '../shared/locale/format';
import { BrlPipe, SpShowtimePipe } from '../shared/locale/pipes';
import { LoadingState, Notice } from '../shared/ui/page-states';
import { injectPaymentLabel } from './confirmation-page';
import { concessionDetail } from './order-summary';
import { TICKET_TYPES } from '../seat-selection/ticket-type-labels';

/** One line of a receipt: what, how many, the unit price and the line's amount. */
export interface ReceiptLine {
  item: string;
  detail?: string;
  quantity: number;
  unit: Schemas['Money'];
  amount: Schemas['Money'];
}

/** The receipt's lines: every ticket with its seat and type, every bomboniere line, the convenience fee. */
export function receiptLines(order: Schemas['Order']): ReceiptLine[] {
  return [
    ...order.tickets.map((t) => ({
      item: `Ingresso, assento ${t.seatId}`,
      detail: TICKET_TYPES[t.ticketType as keyof typeof TICKET_TYPES]?.label ?? t.ticketType,
      quantity: 1,
      unit: t.price,
      amount: t.price,
    })),
    ...order.concessions.map((c) => ({ item: c.name, detail: concessionDetail(c), quantity: c.quantity, unit: c.unitPrice, amount: c.total })),
    { item: 'Taxa de conveniência', quantity: 1, unit: order.totals.convenienceFee, amount: order.totals.convenienceFee },
  ];
}

/** What a receipt says of a refund: "Estornado R$ 62,00 em 19/03/2026 10:02"; nothing when none. */
export function refundText(order: Schemas['Order']): string | null {
  if (!order.refund || order.refund.amount <= 0) return null;
  const when = order.cancelledAt ? ` em ${formatTimeAndDate(order.cancelledAt)}` : '';
  return `Estornado ${formatMoney(order.refund)}${when}`;
}

/**
 * Recibo (/conta/pedidos/:orderId/recibo): the itemized receipt of a paid
 * (or since refunded) order, to keep, print or forward: each ticket with
 * its seat, type and price, each bomboniere line, the convenience fee, the
 * total, the payment method with the card masked (getPayment) or Pix, when
 * it was paid, and any refund. It is not a fiscal document (NFC-e), and
 * says so. "Imprimir" prints it alone, without the app's header.
 */
@Component({
  selector: 'app-receipt-page',
  imports: [RouterLink, LoadingState, Notice, BrlPipe, SpShowtimePipe],
  template: `
    @if (order.error(); as err) {
      <app-notice [message]="message(err, 'carregar o recibo')" [retryable]="true" (retry)="order.reload()" />
    } @else if (!order.hasValue()) {
      <app-loading-state label="Carregando o recibo…" [count]="2" />
    } @else if (order.value(); as o) {
      @if (!o.paidAt) {
        <h1>Recibo</h1>
        <app-notice [message]="notPaid" data-testid="receipt-not-paid" />
      } @else {
        <article class="receipt" aria-labelledby="receipt-title" data-testid="receipt">
          <h1 id="receipt-title">Recibo do pedido</h1>
          <dl class="facts">
            <div><dt>Pedido</dt><dd data-testid="receipt-order">{{ o.id }}</dd></div>
            <div><dt>Pago em</dt><dd>{{ paidAt(o) }}</dd></div>
            <div><dt>Sessão</dt><dd>{{ o.showtime.movieTitle }}<br />{{ o.showtime.cinemaName }}, {{ o.showtime.roomName }} · {{ o.showtime.startsAt | spShowtime }}</dd></div>
            @if (paymentLabel(); as m) {
              <div><dt>Pagamento</dt><dd data-testid="receipt-payment">{{ m }}</dd></div>
            }
          </dl>
          <table class="lines" data-testid="receipt-lines">
            <caption class="visually-hidden">Itens do pedido</caption>
            <thead><tr><th scope="col">Item</th><th scope="col" class="num">Qtd.</th><th scope="col" class="num">Unitário</th><th scope="col" class="num">Valor</th></tr></thead>
            <tbody>
              @for (l of lines(o); track $index) {
                <tr>
                  <th scope="row">{{ l.item }} @if (l.detail) { <span class="detail">{{ l.detail }}</span> }</th>
                  <td class="num">{{ l.quantity }}</td>
                  <td class="num">{{ l.unit | brl }}</td>
                  <td class="num">{{ l.amount | brl }}</td>
                </tr>
              }
            </tbody>
            <tfoot>
              <tr><th scope="row" colspan="3">Total</th><td class="num" data-testid="receipt-total">{{ o.totals.total | brl }}</td></tr>
              @if (refund(o); as r) {
                <tr class="refund"><th scope="row" colspan="4" data-testid="receipt-refund">{{ r }}</th></tr>
              }
            </tfoot>
          </table>
          <p class="fiscal">Este recibo não é documento fiscal. A nota fiscal (NFC-e) é emitida pelo cinema.</p>
        </article>
        <p class="actions no-print">
          <button type="button" class="btn btn-secondary" (click)="print()">Imprimir</button>
          <a routerLink="/conta/pedidos">Voltar para meus pedidos</a>
        </p>
      }
    }
  `,
  styles: `
    :host { display: block; }
    h1 { margin: 0 0 var(--space-3); font-size: var(--text-xl); }
    .receipt { padding: var(--space-4); background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    .facts { margin: 0 0 var(--space-4); display: grid; gap: var(--space-2); }
    .facts div { display: grid; grid-template-columns: 6rem 1fr; gap: var(--space-2); }
    .facts dt { color: var(--color-text-muted); }
    .facts dd { margin: 0; overflow-wrap: anywhere; }
    .lines { width: 100%; border-collapse: collapse; font-variant-numeric: tabular-nums; }
    .lines th, .lines td { padding: var(--space-2) var(--space-1); border-bottom: 1px solid var(--color-border-subtle); text-align: left; vertical-align: top; }
    .lines .num { text-align: right; white-space: nowrap; }
    .lines tbody th { font-weight: var(--weight-regular, 400); }
    .detail { display: block; color: var(--color-text-muted); font-size: var(--text-sm); }
    tfoot th, tfoot td { font-weight: var(--weight-bold); border-bottom: 0; }
    .refund th { color: var(--color-text-muted); font-weight: var(--weight-semibold); }
    .fiscal { margin: var(--space-4) 0 0; color: var(--color-text-muted); font-size: var(--text-sm); }
    .actions { display: flex; gap: var(--space-3); align-items: center; flex-wrap: wrap; margin-top: var(--space-4); }
    @media print {
      .no-print { display: none; }
      .receipt { box-shadow: none; padding: 0; }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReceiptPage {
  private readonly api = inject(API_CLIENT);
  readonly orderId = input.required<string>();
  protected readonly message = problemMessage;
  protected readonly lines = receiptLines;
  protected readonly refund = refundText;
  protected readonly notPaid = {
    kind: 'info' as const,
    title: 'Este pedido não tem recibo',
    detail: 'O recibo fica disponível quando o pagamento é confirmado.',
  };
  protected readonly order = resource({
    params: () => this.orderId(),
    loader: async ({ params: orderId }) => unwrap(await this.api.GET('/orders/{orderId}', { params: { path: { orderId } } })),
  });
  /** A card's brand, last digits and parcelas come from the payment itself. */
  protected readonly paymentLabel = injectPaymentLabel(() => this.orderId(), () => (this.order.hasValue() ? this.order.value().payment : undefined));

  protected paidAt(o: Schemas['Order']): string {
    return o.paidAt ? formatTimeAndDate(o.paidAt) : '';
  }

  protected print(): void {
    window.print();
  }
}
