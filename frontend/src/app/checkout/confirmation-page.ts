import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, resource, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { API_CLIENT, type Schemas, unwrap } from '../api/api-client';
import { problemMessage } from '../api/problem-message';
import { TICKET_TYPES } from '../seat-selection/ticket-type-labels';
import { downloadFile } from '../shared/download';
import { SpShowtimePipe } from '../shared/locale/pipes';
import { LoadingState, Notice } from '../shared/ui/page-states';
import { Stepper } from '../shared/ui/stepper';
import { shareTicket, ticketFileName, ticketPng } from '../tickets/ticket-file';
import { TicketQr } from '../tickets/ticket-qr';
import { OrderSummary, orderLines } from './order-summary';

export { orderLines } from './order-summary';

/** How often a just-paid order is read again while the server still finishes it (PENDING_PAYMENT, or tickets not issued yet). */
export const CONFIRMATION_POLL_MS = 2000;

/**
 * How a payment was made, as safe to show: "Pix", "Cartão VISA final 1111",
 * "… em 3x"; just "Cartão" from the order's payment summary, which has no card.
 */
export function paymentMethodLabel(p: Schemas['Payment'] | Schemas['OrderPayment']): string {
  if (p.method === 'PIX') return 'Pix';
  if (!('card' in p)) return 'Cartão';
  if (!p.card) return 'Cartão';
  const card = `Cartão ${p.card.brand} final ${p.card.last4}`;
  return p.card.installments > 1 ? `${card} em ${p.card.installments}x` : card;
}

/**
 * How an order was paid, for a page that has the order: "Pix" from the
 * order's payment summary at once, and for a card the brand, last digits and
 * parcelas once getPayment answers. Call it in an injection context.
 */
export function injectPaymentLabel(orderId: () => string, summary: () => Schemas['OrderPayment'] | undefined) {
  const api = inject(API_CLIENT);
  const card = resource({
    params: () => {
      const p = summary();
      return p?.method === 'CARD' ? { orderId: orderId(), paymentId: p.id } : undefined;
    },
    loader: async ({ params: path }) => unwrap(await api.GET('/orders/{orderId}/payments/{paymentId}', { params: { path } })),
  });
  return computed(() => {
    if (card.hasValue()) return paymentMethodLabel(card.value());
    const p = summary();
    return p ? paymentMethodLabel(p) : null;
  });
}

/** A map of the cinema's coordinates (opens the maps app on a phone). */
export function cinemaMapUrl(c: Schemas['Cinema']): string {
  return `https://www.google.com/maps/search/?api=1&query=${c.location.latitude},${c.location.longitude}`;
}

/**
 * Confirmação: the paid order (getOrder) with its number, how it was paid
 * (the order's `payment`; for a card, getPayment adds the brand and last
 * digits) and its cinema (the order's `cinemaId` in listCinemas) with the
 * address and a map link, however the page was reached; the pickup code for
 * the bomboniere (as text and as a QR code the counter's camera reads), and
 * one QR ticket per seat (listMyTickets, drawn in the page), in seat order,
 * each to share (Web Share API) or save as a PNG; a meia ticket says which
 * proof to show at the door.
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
        <dl class="facts">
          <div><dt>Pedido</dt><dd data-testid="order-number">{{ d.order.id }}</dd></div>
          @if (paymentLabel(); as m) {
            <div><dt>Pagamento</dt><dd data-testid="payment-method">{{ m }}</dd></div>
          }
          @if (cinema(); as c) {
            <div data-testid="cinema"><dt>Cinema</dt>
              <dd>{{ c.name }}<br />{{ c.address }}, {{ c.city }} - {{ c.state }}<br />
                <a [href]="mapUrl(c)" target="_blank" rel="noopener">Ver no mapa <span class="visually-hidden">(abre em nova aba)</span></a></dd>
            </div>
          }
        </dl>
        @if (d.order.pickupCode) {
          <section class="pickup" aria-labelledby="pickup-title">
            <h2 id="pickup-title">Código de retirada na bomboniere</h2>
            <p class="code" data-testid="pickup-code">{{ d.order.pickupCode }}</p>
            <app-ticket-qr [payload]="d.order.pickupCode" [label]="'QR do código de retirada ' + d.order.pickupCode" [size]="180"
              data-testid="pickup-qr" />
            <p class="hint">Mostre este código ou o QR code no balcão para retirar seus produtos.</p>
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
              <div class="ticket-actions">
                @if (canShare) {
                  <button type="button" class="btn btn-secondary" [disabled]="busy() === t.id" (click)="saveTicket(t, true)">
                    Compartilhar<span class="visually-hidden"> o ingresso do assento {{ t.seatId }}</span></button>
                }
                <button type="button" class="btn btn-secondary" [disabled]="busy() === t.id" (click)="saveTicket(t, false)">
                  Baixar<span class="visually-hidden"> o ingresso do assento {{ t.seatId }}</span></button>
              </div>
            </li>
          }
        </ul>
        <p class="file-status" role="status" data-testid="ticket-file-status">{{ fileStatus() }}</p>
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
    .pickup app-ticket-qr { margin-top: var(--space-3); }
    .code { margin: 0; font-family: var(--font-mono); font-size: var(--text-2xl, 2rem); font-weight: var(--weight-bold); letter-spacing: 0.2em; }
    .hint { margin: var(--space-2) 0 0; color: var(--color-text-muted); }
    .tickets { list-style: none; margin: 0 0 var(--space-4); padding: 0; display: grid; gap: var(--space-3); }
    .ticket { display: grid; justify-items: center; gap: var(--space-2); padding: var(--space-4); text-align: center;
      background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    .ticket p { margin: 0; }
    .seat { font-weight: var(--weight-bold); font-size: var(--text-lg); }
    .proof { color: var(--color-text-muted); font-size: var(--text-sm); }
    .facts { margin: 0 0 var(--space-4); display: grid; gap: var(--space-2); }
    .facts div { display: grid; grid-template-columns: 6rem 1fr; gap: var(--space-2); }
    .facts dt { color: var(--color-text-muted); }
    .facts dd { margin: 0; overflow-wrap: anywhere; }
    .ticket-actions { display: flex; gap: var(--space-2); flex-wrap: wrap; justify-content: center; }
    .file-status { margin: 0 0 var(--space-3); color: var(--color-text-muted); }
    .file-status:empty { display: none; }
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
  /** The paid order, once read. */
  private readonly paid = computed(() => {
    const order = this.data.hasValue() ? this.data.value().order : undefined;
    return order?.status === 'PAID' ? order : undefined;
  });
  protected readonly paymentLabel = injectPaymentLabel(() => this.orderId(), () => this.paid()?.payment);

  /** The order's cinema (its `cinemaId`), with its address and location. */
  private readonly cinemaData = resource({
    params: () => this.paid()?.showtime.cinemaId,
    loader: async ({ params: cinemaId }) => unwrap(await this.api.GET('/cinemas')).items.find((c) => c.id === cinemaId) ?? null,
  });
  protected readonly cinema = computed(() => (this.cinemaData.hasValue() ? this.cinemaData.value() : null));
  protected readonly mapUrl = cinemaMapUrl;

  /** The OS share sheet is offered where the browser has the Web Share API; saving works everywhere. */
  protected readonly canShare = typeof navigator !== 'undefined' && typeof navigator.share === 'function';
  /** The ticket whose image is being made. */
  protected readonly busy = signal<string | null>(null);
  protected readonly fileStatus = signal('');

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

  /** Makes the ticket's PNG and shares it (when asked and possible) or saves it; says what happened. */
  protected async saveTicket(t: Schemas['Ticket'], share: boolean): Promise<void> {
    this.busy.set(t.id);
    this.fileStatus.set('');
    try {
      const png = await ticketPng(t);
      const target = share
        ? { share: (d: ShareData) => navigator.share(d), canShare: (d: ShareData) => navigator.canShare?.(d) ?? false, download: downloadFile }
        : { download: downloadFile };
      const outcome = await shareTicket(t, png, target);
      if (outcome === 'shared') this.fileStatus.set(`Ingresso do assento ${t.seatId} compartilhado.`);
      if (outcome === 'downloaded') this.fileStatus.set(`Ingresso do assento ${t.seatId} salvo como ${ticketFileName(t)}.`);
    } catch {
      this.fileStatus.set(`Não foi possível gerar a imagem do ingresso ${t.seatId}. Mostre o QR code desta tela na entrada.`);
    } finally {
      this.busy.set(null);
    }
  }

  protected typeLabel(code: string): string {
    return TICKET_TYPES[code as keyof typeof TICKET_TYPES]?.label ?? code;
  }
}
