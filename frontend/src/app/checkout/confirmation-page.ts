import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, resource } from '@angular/core';
import { RouterLink } from '@angular/router';
import { API_CLIENT, type Schemas, unwrap } from '../api/api-client';
import { problemMessage } from '../api/problem-message';
import { TICKET_TYPES } from '../seat-selection/ticket-type-labels';
import { SpShowtimePipe } from '../shared/locale/pipes';
import { LoadingState, Notice } from '../shared/ui/page-states';
import { Stepper } from '../shared/ui/stepper';
import { TicketQr } from '../tickets/ticket-qr';
import { OrderSummary, orderLines } from './order-summary';

export { orderLines } from './order-summary';

/** How often a just-paid order is read again while the server still finishes it (PENDING_PAYMENT, or tickets not issued yet). */
export const CONFIRMATION_POLL_MS = 2000;

/**
 * Confirmação: the paid order (getOrder), the pickup code for the
 * bomboniere, and one QR ticket per seat (listMyTickets, drawn in the page);
 * a meia ticket says which proof to show at the door.
 */
@Component({
  selector: 'app-confirmation-page',
  imports: [RouterLink, Stepper, LoadingState, Notice, OrderSummary, TicketQr, SpShowtimePipe],
  template: `
    <app-stepper [current]="3" />
    @if (data.error(); as err) {
      <app-notice [message]="message(err, 'carregar o pedido')" [retryable]="true" (retry)="data.reload()" />
    } @else if (!data.hasValue()) {
      <app-loading-state label="Carregando seu pedido…" [count]="2" />
    } @else if (data.value(); as d) {
      @if (d.order.status === 'PAID') {
        <h1>Compra confirmada!</h1>
        <p class="lead" role="status">
          {{ d.order.showtime.movieTitle }} · {{ d.order.showtime.cinemaName }}, {{ d.order.showtime.roomName }} ·
          {{ d.order.showtime.startsAt | spShowtime }}
        </p>
        @if (d.order.pickupCode) {
          <section class="pickup" aria-labelledby="pickup-title">
            <h2 id="pickup-title">Código de retirada na bomboniere</h2>
            <p class="code" data-testid="pickup-code">{{ d.order.pickupCode }}</p>
            <p class="hint">Mostre este código no balcão para retirar seus produtos.</p>
          </section>
        }
        <h2>Seus ingressos</h2>
        @if (d.tickets.length < d.order.tickets.length) {
          <app-loading-state label="Emitindo seus ingressos…" [count]="1" />
        }
        <ul class="tickets" role="list">
          @for (t of d.tickets; track t.id) {
            <li class="ticket" data-testid="ticket">
              <app-ticket-qr [payload]="t.qr" [label]="'QR code do ingresso do assento ' + t.seatId" />
              <div>
                <p class="seat">Assento {{ t.seatId }}</p>
                <p>{{ typeLabel(t.ticketType) }}</p>
                @if (t.meia) {
                  <p class="proof" data-testid="proof">Meia-entrada: apresente na entrada {{ t.proof || 'o documento que comprova o direito à meia' }}</p>
                }
              </div>
            </li>
          }
        </ul>
        <app-order-summary [lines]="lines(d.order)" [total]="d.order.totals.total" />
        <p class="links"><a routerLink="/conta/pedidos">Ver meus pedidos</a> · <a routerLink="/">Voltar ao início</a></p>
      } @else if (d.order.status === 'PENDING_PAYMENT') {
        <h1>Confirmando seu pagamento…</h1>
        <app-loading-state label="Confirmando seu pagamento…" [count]="1" />
      } @else {
        <h1>Pedido não confirmado</h1>
        <app-notice [message]="notPaid" />
        <p><a routerLink="/conta/pedidos">Ver meus pedidos</a></p>
      }
    }
  `,
  styles: `
    :host { display: block; }
    app-stepper, app-notice, app-order-summary { display: block; margin-bottom: var(--space-4); }
    h1 { margin: 0 0 var(--space-2); font-size: var(--text-xl); }
    h2 { margin: var(--space-4) 0 var(--space-3); font-size: var(--text-lg); }
    .lead { margin: 0 0 var(--space-4); }
    .pickup { padding: var(--space-4); background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); text-align: center; }
    .pickup h2 { margin-top: 0; }
    .code { margin: 0; font-family: var(--font-mono); font-size: var(--text-2xl, 2rem); font-weight: var(--weight-bold); letter-spacing: 0.2em; }
    .hint { margin: var(--space-2) 0 0; color: var(--color-text-muted); }
    .tickets { list-style: none; margin: 0 0 var(--space-4); padding: 0; display: grid; gap: var(--space-3); }
    .ticket { display: grid; justify-items: center; gap: var(--space-2); padding: var(--space-4); text-align: center;
      background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    .ticket p { margin: 0; }
    .seat { font-weight: var(--weight-bold); font-size: var(--text-lg); }
    .proof { color: var(--color-text-muted); font-size: var(--text-sm); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConfirmationPage {
  private readonly api = inject(API_CLIENT);
  readonly orderId = input.required<string>();
  protected readonly message = problemMessage;
  protected readonly lines = orderLines;
  protected readonly notPaid = {
    kind: 'error' as const,
    title: 'Este pedido não foi pago',
    detail: 'Nenhum ingresso foi emitido e nada foi cobrado. Escolha uma sessão para comprar de novo.',
  };
  protected readonly data = resource({
    params: () => this.orderId(),
    loader: async ({ params: orderId }) => {
      const order = unwrap(await this.api.GET('/orders/{orderId}', { params: { path: { orderId } } }));
      let tickets: Schemas['Ticket'][] = [];
      if (order.status === 'PAID') {
        const page = unwrap(await this.api.GET('/me/tickets', { params: { query: { limit: 50 } } }));
        // In seat order (row, then number: F9 before F10), however the server listed them.
        tickets = page.items.filter((t) => t.orderId === orderId)
          .sort((a, b) => a.row.localeCompare(b.row, 'pt-BR') || a.number - b.number);
      }
      return { order, tickets };
    },
  });
  /** Still finishing: read again shortly. */
  private readonly pending = computed(() => {
    const d = this.data.hasValue() ? this.data.value() : undefined;
    return !!d && (d.order.status === 'PENDING_PAYMENT' || (d.order.status === 'PAID' && d.tickets.length < d.order.tickets.length));
  });

  constructor() {
    const timer = setInterval(() => {
      if (this.pending() && !this.data.isLoading()) this.data.reload();
    }, CONFIRMATION_POLL_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  protected typeLabel(code: string): string {
    return TICKET_TYPES[code as keyof typeof TICKET_TYPES]?.label ?? code;
  }
}
