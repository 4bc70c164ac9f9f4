import { ChangeDetectionStrategy, Component, ElementRef, Injector, afterNextRender, computed, effect, inject, input, resource, signal, untracked } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { API_CLIENT, ApiError, type Schemas, unwrap } from '../api/api-client';
import { type ProblemMessage, problemMessage } from '../api/problem-message';
import { AuthService } from '../account/auth.service';
import { formatMoney, formatVersion } from '../shared/locale/format';
import { BrlPipe, SpShowtimePipe } from '../shared/locale/pipes';
import { LoadingState, Notice } from '../shared/ui/page-states';
import { Stepper } from '../shared/ui/stepper';
import { HoldStatus } from './hold-status';
import { HoldStore } from './hold-store';
import { HoldSummary } from './hold-summary';
import { OrderSummary } from '../checkout/order-summary';
import { feeLine, priceEstimate } from './price-estimate';
import { SeatMap } from './seat-map';
import { isolatedSeatWarning, isolatedSeats } from './isolated-seats';
import { MAX_SEATS, type Seat, type TicketTypeCode, isSelectable, seatTypeLabel } from './seat-rules';
import { SeatSelectionStore } from './seat-selection-store';
import { TICKET_TYPES, TICKET_TYPE_CODES } from './ticket-type-labels';
import { WaitingRoomStore, admitted } from './waiting-room-store';

/**
 * Assentos: the live seat map, a ticket type per seat with its price, and
 * Reservar (createHold). Once held, the map shows the hold's seats as yours
 * (getShowtime with holdId), with the countdown, the server's total and
 * "Liberar assentos"; the buyer goes on to the bomboniere step. A pick that
 * would leave a seat isolated is warned about beside Reservar before the tap,
 * by the cinema's gap policy (isolated-seats.ts); Reservar stays on, since the
 * map is a snapshot and createHold decides (docs/adr/0311).
 */
@Component({
  selector: 'app-seat-selection-page',
  imports: [RouterLink, SeatMap, Stepper, HoldStatus, HoldSummary, OrderSummary, LoadingState, Notice, BrlPipe, SpShowtimePipe],
  providers: [SeatSelectionStore],
  template: `
    <app-stepper [current]="0" />
    @if (showtime.isLoading() && !showtime.hasValue()) {
      <app-loading-state label="Carregando o mapa de assentos…" [count]="1" />
    } @else if (showtime.error(); as err) {
      <app-notice [message]="message(err, 'carregar a sessão')" [retryable]="true" (retry)="showtime.reload()" />
    } @else if (showtime.value(); as st) {
      <header class="head">
        <h1>{{ st.movieTitle }}</h1>
        <p class="when">{{ st.startsAt | spShowtime }} · {{ st.roomName }}</p>
        <p class="where">{{ st.cinemaName }} · {{ version() }} · <a [routerLink]="['/filmes', st.movieId]">outras sessões</a></p>
      </header>

      @if (heldHere(); as h) {
        <app-hold-status class="hold-top" [hold]="h" [stay]="true" />
      }
      @if (holds.notice(); as n) {
        <app-notice [message]="n" data-testid="hold-notice" />
      }
      @if (st.cancelled) {
        <app-notice [message]="cancelledByCinema" data-testid="showtime-cancelled" />
      } @else if (!st.salesOpen) {
        <app-notice [message]="salesClosed" />
      }

      <div class="layout">
        <div class="map">
          <app-seat-map [seatMap]="st.seatMap" [roomName]="st.roomName" [selected]="heldHere() ? [] : store.seatIds()" (toggle)="toggle($event)" />
        </div>

        <aside class="panel" aria-labelledby="picked-title">
          <p class="meia" data-testid="meia-remaining">
            Meia-entrada: restam <strong>{{ st.meiaRemaining }}</strong> nesta sessão
            <span class="hint">(limite legal de 40% dos lugares)</span>
          </p>

          @if (heldHere(); as h) {
            <h2 id="picked-title">Seus assentos estão reservados</h2>
            <app-hold-summary [hold]="h" heading="Sua reserva" />
            @if (heldEstimate(); as e) {
              <p class="with-fee" data-testid="estimate-with-fee">Com a taxa de conveniência ({{ h.seats.length }} × {{ fee()! | brl }}),
                <strong>{{ e.total | brl }}</strong>: o pedido confirma o valor.</p>
            }
          } @else {
            <h2 id="picked-title">Seus assentos</h2>
            @if (store.picks().length === 0) {
              <p class="hint">Escolha no mapa. Livres: {{ st.availability.available }} de {{ st.availability.capacity }}.</p>
            } @else {
              <ul class="picks" role="list">
                @for (p of picksView(); track p.seatId) {
                  <li>
                    <span class="seat-id">{{ p.seatId }}</span>
                    <span class="seat-type">{{ p.typeLabel }}</span>
                    <label class="visually-hidden" [for]="'tt-' + p.seatId">Tipo de ingresso do assento {{ p.seatId }}</label>
                    <select class="select" [id]="'tt-' + p.seatId" [value]="p.ticketType"
                      (change)="setTicketType(p.seatId, $any($event.target), st.meiaRemaining)">
                      @for (code of ticketCodes; track code) {
                        <option [value]="code" [selected]="code === p.ticketType">{{ ticketLabel(code, p.seatId) }}</option>
                      }
                    </select>
                    <button type="button" class="btn btn-icon" [attr.aria-label]="'Remover assento ' + p.seatId" (click)="remove(p.seatId)">✕</button>
                    @if (p.proof) {
                      <span class="proof">Na entrada: {{ p.proof }}</span>
                    }
                  </li>
                }
              </ul>
              @if (estimate(); as e) {
                <app-order-summary class="estimate" heading="Total estimado" [lines]="e.lines" [total]="e.total" data-testid="estimate" />
                <p class="hint">A taxa de conveniência é cobrada por ingresso. O pedido confirma os valores; a bomboniere, se você escolher, entra nele.</p>
              }
            }
          }

          <div aria-live="polite">
            @if (store.refused(); as why) {
              <p class="refused">{{ why }}</p>
            }
          </div>
          @if (holdProblem(); as p) {
            <app-notice [message]="p" data-testid="hold-problem">
              @if (p.code === 'unauthorized') {
                <p><a [routerLink]="['/entrar']" [queryParams]="{ voltar: router.url }">Entrar</a></p>
              }
            </app-notice>
          }

          @if (prices(); as pr) {
            <section class="prices" aria-labelledby="prices-title" data-testid="prices">
              <h2 id="prices-title">Preços desta sessão</h2>
              <ul role="list">
                @for (t of pr.items; track t.code) {
                  <li>
                    <span class="price-label">{{ t.label }}</span>
                    <span class="price">{{ t.price | brl }}</span>
                    @if (t.meia && t.proof) {
                      <span class="proof">Apresente na entrada: {{ t.proof }}</span>
                    }
                  </li>
                }
                @for (sc of pr.seatSurcharges; track sc.seatType) {
                  <li>
                    <span class="price-label">Adicional {{ seatTypeName(sc.seatType) }}, por assento</span>
                    <span class="price">+ {{ sc.amount | brl }}</span>
                  </li>
                }
              </ul>
            </section>
          }
        </aside>
      </div>

      <div class="bar">
        <div class="gap" aria-live="polite">
          @if (!heldHere() && gapWarning(); as g) {
            <p id="gap-warning" class="gap-warning" [class.block]="st.gapPolicy === 'BLOCK'" data-testid="gap-warning"
              [attr.data-policy]="st.gapPolicy">{{ g }}</p>
          }
        </div>
        @if (heldHere(); as h) {
          <p class="count">
            {{ h.seats.length }} {{ h.seats.length === 1 ? 'assento' : 'assentos' }}
            <span class="total">· {{ (heldEstimate()?.total ?? h.total) | brl }}</span>
            @if (heldEstimate()) { <span class="visually-hidden">com a taxa de conveniência</span> }
          </p>
          <a class="btn btn-primary" routerLink="/compra/bomboniere">Continuar</a>
        } @else {
          <p class="count">
            @if (store.picks().length === 0) { Nenhum assento } @else { {{ store.picks().length }} {{ store.picks().length === 1 ? 'assento' : 'assentos' }} }
            @if (estimate(); as e) {
              <span class="total">· {{ e.total | brl }}</span><span class="visually-hidden"> estimados, com a taxa de conveniência</span>
            }
          </p>
          <button type="button" class="btn btn-primary" [disabled]="store.picks().length === 0 || busy() || restoring() || !st.salesOpen"
            [attr.aria-describedby]="gapWarning() ? 'gap-warning' : null" (click)="reserve(st)">
            {{ busy() ? 'Reservando…' : 'Reservar' }}
          </button>
        }
      </div>
    }
  `,
  styles: `
    :host { display: block; padding-bottom: 5rem; }
    :host:has(.gap-warning) { padding-bottom: 10rem; }
    app-stepper { display: block; margin-bottom: var(--space-4); }
    .head h1 { margin: 0; font-size: var(--text-xl); }
    .when, .where { margin: var(--space-1) 0 0; color: var(--color-text-muted); font-size: var(--text-sm); }
    .when { color: var(--color-text); font-weight: var(--weight-semibold); text-transform: capitalize; }
    .head { margin-bottom: var(--space-4); }
    .panel { margin-top: var(--space-4); }
    .panel h2 { font-size: var(--text-lg); margin: var(--space-4) 0 var(--space-2); }
    .meia { margin: 0; padding: var(--space-3); border-radius: var(--radius-md); background: var(--color-surface-sunken); }
    .hint { color: var(--color-text-muted); font-size: var(--text-sm); }
    .picks { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--space-2); }
    .picks li { display: grid; grid-template-columns: 3rem 1fr auto; grid-template-areas: 'id type remove' 'select select remove' 'proof proof proof';
      align-items: center; gap: var(--space-1) var(--space-2); padding: var(--space-2) var(--space-3);
      background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    .seat-id { grid-area: id; font-weight: var(--weight-bold); }
    .seat-type { grid-area: type; font-size: var(--text-sm); color: var(--color-text-muted); }
    .picks select { grid-area: select; }
    .picks button { grid-area: remove; }
    .proof { grid-area: proof; display: block; font-size: var(--text-sm); color: var(--color-text-muted); }
    .prices ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--space-2); }
    .prices li { display: grid; grid-template-columns: 1fr auto; gap: 0 var(--space-2); padding-bottom: var(--space-2);
      border-bottom: 1px solid var(--color-border-subtle); }
    .prices .price { font-weight: var(--weight-semibold); font-variant-numeric: tabular-nums; white-space: nowrap; }
    .prices .proof { grid-column: 1 / -1; }
    app-hold-summary { display: block; margin-bottom: var(--space-3); }
    .hold-top { display: block; margin-bottom: var(--space-4); }
    .refused { color: var(--color-danger); font-weight: var(--weight-semibold); }
    .estimate { display: block; margin-top: var(--space-3); }
    .with-fee { margin: 0 0 var(--space-3); }
    app-notice { display: block; margin: var(--space-3) 0; }
    .bar { position: fixed; inset: auto 0 0 0; z-index: 10; display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between;
      gap: var(--space-2) var(--space-3); padding: var(--space-3) var(--space-4); background: var(--color-surface);
      box-shadow: 0 -2px 8px rgb(28 25 23 / 0.12); }
    .gap { flex-basis: 100%; }
    .gap:empty { display: none; }
    .gap-warning { margin: 0; padding: var(--space-2) var(--space-3); border-radius: var(--radius-md); font-size: var(--text-sm);
      background: var(--color-warning-bg); color: var(--color-on-warning); }
    .gap-warning.block { background: var(--color-danger-bg); color: var(--color-danger); font-weight: var(--weight-semibold); }
    .count { margin: 0; font-weight: var(--weight-semibold); }
    .total { color: var(--color-text-muted); }
    .bar .btn { min-width: 9rem; }
    @media (min-width: 64rem) {
      .layout { display: grid; grid-template-columns: 2fr 1fr; gap: var(--space-5); align-items: start; }
      .panel { margin-top: 0; position: sticky; top: var(--space-4); }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SeatSelectionPage {
  /** The :showtimeId route parameter. */
  readonly showtimeId = input.required<string>();

  private readonly api = inject(API_CLIENT);
  private readonly auth = inject(AuthService);
  protected readonly router = inject(Router);
  protected readonly store = inject(SeatSelectionStore);
  protected readonly holds = inject(HoldStore);
  private readonly waiting = inject(WaitingRoomStore);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  protected readonly message = problemMessage;
  protected readonly ticketCodes = TICKET_TYPE_CODES;
  protected readonly seatTypeName = seatTypeLabel;
  protected readonly cancelledByCinema: ProblemMessage = {
    kind: 'info',
    title: 'Sessão cancelada pelo cinema',
    detail: 'Esta sessão não vai acontecer. Quem comprou ingressos recebe o valor de volta e um aviso em "Meus pedidos". Escolha outro horário.',
  };
  protected readonly salesClosed: ProblemMessage = {
    kind: 'info',
    title: 'Vendas encerradas',
    detail: 'Esta sessão não vende mais ingressos. Escolha outro horário.',
  };

  protected readonly busy = signal(false);
  /** Reading a hold kept in this tab back from the server (after a reload). */
  protected readonly restoring = signal(false);
  protected readonly holdProblem = signal<ProblemMessage | null>(null);

  /** The buyer's hold on this showtime, when there is one. */
  protected readonly heldHere = computed(() => {
    const h = this.holds.hold();
    return h && h.showtimeId === this.showtimeId() ? h : null;
  });

  /** The live map; with the hold's id its seats come back as `yours`. */
  protected readonly showtime = resource({
    params: () => ({ showtimeId: this.showtimeId(), holdId: this.heldHere()?.id, freed: this.holds.freed() }),
    loader: async ({ params: { showtimeId, holdId } }) =>
      unwrap(
        await this.api.GET('/showtimes/{showtimeId}', {
          params: { path: { showtimeId }, query: holdId ? { holdId } : undefined },
        }),
      ),
  });

  /** Prices per ticket type and seat surcharges (listTicketTypes). */
  protected readonly ticketTypes = resource({
    params: () => ({ showtimeId: this.showtimeId() }),
    loader: async ({ params }) =>
      unwrap(await this.api.GET('/showtimes/{showtimeId}/ticket-types', { params: { path: params } })),
  });

  protected readonly prices = computed(() => (this.ticketTypes.hasValue() ? this.ticketTypes.value() : undefined));

  /** The showtime once loaded; undefined while loading or failed (value() throws then). */
  private readonly loaded = computed(() => (this.showtime.hasValue() ? this.showtime.value() : undefined));

  protected readonly version = computed(() => {
    const st = this.loaded();
    return st ? formatVersion(st.format, st.language) : '';
  });

  private readonly seatsById = computed(() => new Map((this.loaded()?.seatMap.seats ?? []).map((s) => [s.id, s])));

  protected readonly picksView = computed(() =>
    this.store.picks().map((p) => {
      const seat = this.seatsById().get(p.seatId);
      const type = this.prices()?.items.find((t) => t.code === p.ticketType);
      return { ...p, typeLabel: seat ? seatTypeLabel(seat.type) : '', proof: type?.meia ? type.proof : '' };
    }),
  );

  /**
   * The seats the pick would leave isolated, and what the buyer reads about
   * it beside Reservar by the cinema's gap policy; null when none.
   */
  protected readonly gapWarning = computed(() => {
    const st = this.loaded();
    if (!st || this.heldHere()) return null;
    const isolated = isolatedSeats(st.seatMap.seats, this.store.seatIds());
    const canInclude = this.store.picks().length + isolated.length <= MAX_SEATS &&
      isolated.every((id) => {
        const s = this.seatsById().get(id);
        return !!s && isSelectable(s) && s.type !== 'COUPLE';
      });
    return isolatedSeatWarning(isolated, st.gapPolicy, canInclude);
  });

  /** The convenience fee per ticket that the order will add (listTicketTypes). */
  protected readonly fee = computed(() => this.prices()?.convenienceFee);

  /**
   * The total before Reservar, from listTicketTypes: each seat's ticket price
   * and surcharge, plus the convenience fee per ticket. The hold's and the
   * order's totals are the server's.
   */
  protected readonly estimate = computed(() => {
    const fee = this.fee();
    const picks = this.store.picks();
    if (!fee || picks.length === 0) return null;
    const e = priceEstimate(picks.map((p) => this.seatPrice(p.ticketType, p.seatId) ?? 0), fee);
    const tickets = picks.length === 1 ? '1 ingresso' : `${picks.length} ingressos`;
    return { ...e, lines: [{ label: 'Ingressos', detail: tickets, amount: e.tickets }, feeLine(picks.length, fee)] };
  });

  /** Once held: the hold's (server's) total plus the fee per ticket the order will add. */
  protected readonly heldEstimate = computed(() => {
    const h = this.heldHere();
    const fee = this.fee();
    if (!h || !fee) return null;
    return { total: { amount: h.total.amount + fee.amount * h.seats.length, currency: h.total.currency } };
  });

  /** A ticket type's price on a seat, in centavos: the type's price plus the seat type's surcharge (VIP, couple…). */
  private seatPrice(code: TicketTypeCode, seatId: string): number | undefined {
    const prices = this.prices();
    const priced = prices?.items.find((t) => t.code === code);
    if (!prices || !priced) return undefined;
    const type = this.seatsById().get(seatId)?.type;
    return priced.price.amount + (prices.seatSurcharges.find((s) => s.seatType === type)?.amount.amount ?? 0);
  }

  constructor() {
    effect(() => {
      const id = this.showtimeId();
      untracked(() => {
        this.store.open(id);
        this.holdProblem.set(null);
        if (this.holds.saved()?.showtimeId === id) void this.restore();
      });
    });
    // Back from the waiting room with the admission token: hold the seats picked before queueing.
    effect(() => {
      const st = this.loaded();
      if (!st || this.waiting.resume() !== st.id) return;
      untracked(() => {
        this.waiting.resume.set(null);
        if (this.store.picks().length && !this.heldHere()) void this.reserve(st);
      });
    });
    // Seats picked earlier that someone else took since are dropped.
    effect(() => {
      const st = this.loaded();
      if (!st) return;
      untracked(() => {
        if (this.heldHere()) return;
        const gone = this.store.seatIds().filter((id) => {
          const s = this.seatsById().get(id);
          return !s || !isSelectable(s);
        });
        if (gone.length) this.store.drop(gone);
      });
    });
  }

  /** Reads the hold kept in this tab back (getHold); an expired one leaves the notice. */
  private async restore(): Promise<void> {
    this.restoring.set(true);
    try {
      await this.holds.restore();
    } catch (err) {
      this.holdProblem.set(problemMessage(err, 'carregar sua reserva'));
    } finally {
      this.restoring.set(false);
    }
  }

  /** A ticket type with what it costs on this seat. */
  protected ticketLabel(code: TicketTypeCode, seatId: string): string {
    const label = this.prices()?.items.find((t) => t.code === code)?.label;
    const cents = this.seatPrice(code, seatId);
    return label && cents !== undefined ? `${label} — ${formatMoney({ amount: cents, currency: 'BRL' })}` : TICKET_TYPES[code].label;
  }

  protected toggle(seat: Seat): void {
    if (this.heldHere()) {
      this.store.refused.set('Seus assentos já estão reservados. Para trocar, libere a reserva.');
      return;
    }
    this.holdProblem.set(null);
    this.holds.notice.set(null);
    this.store.toggle(seat, this.loaded()?.seatMap.seats ?? []);
  }

  protected remove(seatId: string): void {
    const seat = this.seatsById().get(seatId);
    if (seat) this.toggle(seat);
  }

  protected setTicketType(seatId: string, select: HTMLSelectElement, meiaRemaining: number): void {
    if (!this.store.setTicketType(seatId, select.value as TicketTypeCode, meiaRemaining)) {
      select.value = this.store.picks().find((p) => p.seatId === seatId)?.ticketType ?? 'INTEIRA';
    }
  }

  /**
   * createHold with this tab's admission token; a showtime in premiere mode
   * without one (403 `waiting_room_required`) takes a place in the waiting
   * room: admitted at once (no queue now) → hold again with the new token;
   * otherwise → the queue page, which comes back here once admitted.
   */
  private async createHold(showtimeId: string): Promise<void> {
    try {
      await this.holds.create(showtimeId, this.store.picks(), this.waiting.tokenFor(showtimeId));
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'waiting_room_required')) throw err;
      const entry = await this.waiting.enter(showtimeId);
      if (!admitted(entry)) {
        await this.router.navigate(['/sessoes', showtimeId, 'fila']);
        throw new QueuedError();
      }
      await this.holds.create(showtimeId, this.store.picks(), entry.admissionToken);
    }
  }

  /**
   * A refusal of Reservar is shown beside the seat list, which on a phone is
   * below the map and out of sight: once rendered it is scrolled to sit just
   * above the fixed bar, next to the Reservar the buyer just tapped, and
   * focused, so the buyer sees it and a screen reader reads it where the
   * buyer is.
   */
  private bringProblemIntoView(): void {
    afterNextRender(() => {
      const box = this.host.nativeElement.querySelector<HTMLElement>('[data-testid="hold-problem"] .notice');
      if (!box) return;
      const bar = this.host.nativeElement.querySelector<HTMLElement>('.bar');
      box.tabIndex = -1;
      box.style.scrollMarginBottom = `${(bar?.offsetHeight ?? 0) + BAR_GAP_PX}px`;
      box.scrollIntoView?.({ block: 'end', behavior: 'smooth' });
      box.focus({ preventScroll: true });
    }, { injector: this.injector });
  }

  /**
   * 409 active_hold_exists: the buyer holds seats of this showtime that
   * this tab does not know (another tab, or an answer that was lost). The
   * hold is read with listMyHolds and shown here as theirs, with its
   * countdown and "Liberar assentos", instead of a dead end.
   */
  private async adoptHold(showtimeId: string): Promise<boolean> {
    let held: Schemas['Hold'] | null;
    try {
      held = await this.holds.adopt(showtimeId);
    } catch {
      return false;
    }
    if (!held) return false;
    this.store.drop(this.store.seatIds());
    this.holdProblem.set(ADOPTED_HOLD);
    this.bringProblemIntoView();
    return true;
  }

  protected async reserve(st: Schemas['ShowtimeDetail']): Promise<void> {
    if (!this.auth.signedIn()) {
      await this.router.navigate(['/entrar'], { queryParams: { voltar: this.router.url } });
      return;
    }
    this.busy.set(true);
    this.holdProblem.set(null);
    this.holds.notice.set(null);
    try {
      await this.createHold(st.id);
      // The hold has the seats now; the picks start empty once it is released.
      this.store.drop(this.store.seatIds());
      await this.router.navigate(['/compra/bomboniere']);
    } catch (err) {
      if (err instanceof QueuedError) return;
      if (err instanceof ApiError && err.code === 'active_hold_exists' && (await this.adoptHold(st.id))) return;
      this.holdProblem.set(problemMessage(err, 'reservar assentos'));
      this.bringProblemIntoView();
      if (err instanceof ApiError) {
        if (err.code === 'seat_taken') this.store.drop(err.problem?.seats ?? []);
        // The map (and meiaRemaining) changed under the buyer: show the live one.
        if (err.code === 'seat_taken' || err.code === 'meia_cap_reached' || err.code === 'seat_not_sellable') {
          this.showtime.reload();
        }
        if (err.code === 'unauthorized') this.auth.logout();
      }
    } finally {
      this.busy.set(false);
    }
  }
}

/** The room left between a refusal scrolled into view and the fixed bar under it. */
const BAR_GAP_PX = 12;

/** Shown when Reservar found a hold of the buyer's made elsewhere. */
const ADOPTED_HOLD: ProblemMessage = {
  kind: 'info',
  code: 'active_hold_exists',
  title: 'Você já tinha assentos reservados nesta sessão',
  detail: 'Eles estão marcados no mapa como seus. Continue a compra com eles ou libere a reserva para escolher outros.',
};

/** The buyer went to the waiting room instead of holding: nothing failed. */
class QueuedError extends Error {}
