import { ChangeDetectionStrategy, Component, computed, inject, input, output, resource, signal } from '@angular/core';
import { API_CLIENT, ApiError, type Schemas, unwrap } from '../../api/api-client';
import type { ProblemMessage } from '../../api/problem-message';
import { formatShowtimeStart } from '../../shared/locale/format';
import { LoadingState, Notice } from '../../shared/ui/page-states';
import { SEAT_TYPE_LABELS, clock, spMinutesOf, spToday } from '../admin-format';
import { adminProblem } from '../admin-problem';
import type { AdminShowtime, Conflict } from './schedule-layout';

const STATUS_LABELS: Record<Schemas['SeatStatus'], string> = { AVAILABLE: 'livre', HELD: 'reservado', SOLD: 'vendido', BLOCKED: 'bloqueado' };

/** The São Paulo day and time of an instant ("2026-12-18", "19:30"). */
export function spDateTime(instant: string): { date: string; time: string } {
  const date = spToday(new Date(instant));
  return { date, time: clock(spMinutesOf(instant, date)) };
}

/** The instant of a São Paulo wall-clock time (the city keeps UTC−03:00 all year). */
export function spInstant(date: string, time: string): string {
  return `${date}T${time}:00-03:00`;
}

export interface RescheduleDraft {
  date: string;
  time: string;
  ticketPlan: Schemas['TicketPlan'] | '';
  reason: string;
}

export type RescheduleErrors = Partial<Record<keyof RescheduleDraft, string>>;

/** The contract's RescheduleRequest rules, in pt-BR. */
export function validateReschedule(d: RescheduleDraft, current: { date: string; time: string }): RescheduleErrors {
  const e: RescheduleErrors = {};
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.date)) e.date = 'Informe o novo dia.';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(d.time)) e.time = 'Informe o novo horário (HH:MM).';
  else if (Number(d.time.slice(3)) % 5 !== 0) e.time = 'Use marcas de 5 minutos.';
  if (!e.date && !e.time && d.date === current.date && d.time === current.time) e.time = 'Escolha um horário diferente do atual.';
  if (!d.ticketPlan) e.ticketPlan = 'Escolha o que acontece com os ingressos.';
  const r = d.reason.trim();
  if (r.length < 3 || r.length > 300) e.reason = 'Escreva o motivo, de 3 a 300 caracteres.';
  return e;
}

/**
 * Bloquear assentos: the showtime's seat map (getShowtime) as a compact grid
 * where staff pick seats and block them with a reason (blockSeats), and the
 * blocked seats, each with "Desbloquear" (unblockSeat).
 */
@Component({
  selector: 'app-seat-blocks',
  imports: [LoadingState, Notice],
  template: `
    <section class="seat-blocks" aria-labelledby="blocks-title" data-testid="seat-blocks">
      <h3 id="blocks-title">Bloquear assentos</h3>
      @if (detail.error(); as err) {
        <app-notice [message]="message(err, 'ver o mapa da sala')" [retryable]="true" (retry)="detail.reload()" />
      } @else if (!detail.hasValue()) {
        <app-loading-state label="Carregando o mapa da sala…" [count]="1" />
      } @else {
        <p class="hint" id="seat-map-hint">Selecione os assentos livres a bloquear. Tela na parte de cima.</p>
        <div class="seat-scroll">
          <div class="seat-grid" role="group" aria-label="Mapa de assentos" aria-describedby="seat-map-hint" data-testid="admin-seat-map"
            [style.grid-template-columns]="'repeat(' + detail.value()!.seatMap.width + ', 2.1rem)'">
            @for (s of detail.value()!.seatMap.seats; track s.id) {
              <button type="button" class="seat" [attr.data-seat]="s.id" [attr.data-status]="s.status"
                [class.picked]="picked().includes(s.id)" [class.occupied]="occupied().includes(s.id)"
                [style.grid-column]="s.x + 1" [style.grid-row]="s.y + 1"
                [attr.aria-pressed]="s.status === 'AVAILABLE' ? picked().includes(s.id) : null"
                [attr.aria-disabled]="s.status !== 'AVAILABLE' ? true : null"
                [attr.aria-label]="seatLabel(s)" (click)="toggle(s)">{{ s.id }}</button>
            }
          </div>
        </div>
        <p class="legend" aria-hidden="true">
          <span><i class="seat-key"></i> livre</span><span><i class="seat-key picked"></i> selecionado</span>
          <span><i class="seat-key held"></i> reservado ou vendido</span><span><i class="seat-key blocked"></i> bloqueado</span>
        </p>
        <form novalidate (submit)="block($event)">
          <div class="field">
            <label for="block-reason">Motivo do bloqueio</label>
            <input id="block-reason" type="text" maxlength="200" [value]="reason()" (input)="reason.set($any($event.target).value)"
              [attr.aria-invalid]="!!formError()" [attr.aria-describedby]="formError() ? 'block-error' : null" />
            @if (formError(); as e) { <p class="field-error" id="block-error">{{ e }}</p> }
          </div>
          @if (problem(); as p) { <app-notice [message]="p" data-testid="block-problem" /> }
          <div class="actions">
            <button type="submit" class="btn btn-primary btn-small" [disabled]="saving()">
              {{ saving() ? 'Bloqueando…' : picked().length ? 'Bloquear ' + picked().length + (picked().length === 1 ? ' assento' : ' assentos') : 'Bloquear assentos' }}
            </button>
          </div>
        </form>
        <h4>Assentos bloqueados</h4>
        @if (blocked().length === 0) {
          <p class="hint" data-testid="no-blocks">Nenhum assento bloqueado nesta sessão.</p>
        } @else {
          <ul class="blocked-list" data-testid="blocked-list">
            @for (b of blocked(); track b.seatId) {
              <li [attr.data-seat]="b.seatId">
                <span><strong>{{ b.seatId }}</strong>
                  @if (b.block; as k) { — {{ k.reason }} <span class="hint">({{ k.blockedBy }}, {{ when(k.blockedAt) }})</span> }
                  @else { <span class="hint">&nbsp;— bloqueio anterior ou do mapa da sala</span> }
                </span>
                <button type="button" class="btn btn-secondary btn-small" [disabled]="unblocking() === b.seatId"
                  [attr.aria-label]="'Desbloquear ' + b.seatId" (click)="unblock(b.seatId)">Desbloquear</button>
              </li>
            }
          </ul>
        }
        @if (done(); as d) { <p class="success" role="status" data-testid="block-result">{{ d }}</p> }
      }
    </section>
  `,
  styles: `
    h3 { font-size: var(--text-md, 1.1rem); margin: 0 0 var(--space-2); }
    h4 { margin: var(--space-3) 0 var(--space-1); }
    .seat-scroll { overflow-x: auto; max-width: 100%; }
    .seat-grid { display: grid; gap: 2px; padding: var(--space-1); }
    .seat { width: 2.1rem; height: 1.75rem; padding: 0; font-size: 0.65rem; border-radius: 4px; cursor: pointer;
      border: 1px solid var(--color-border-strong, #555); background: var(--color-surface, #fff); color: var(--color-text, #111); }
    .seat[data-status='HELD'], .seat[data-status='SOLD'] { background: #d9d9d9; color: #333; cursor: not-allowed; }
    .seat[data-status='BLOCKED'] { background: #333; color: #fff; cursor: not-allowed; }
    .seat.picked { background: #0b5cad; color: #fff; border-color: #0b5cad; }
    .seat.occupied { outline: 3px solid #b00020; outline-offset: 1px; }
    .seat:focus-visible { outline: 3px solid #0b5cad; outline-offset: 2px; }
    .legend { display: flex; gap: var(--space-3); font-size: 0.8rem; flex-wrap: wrap; }
    .seat-key { display: inline-block; width: 0.9rem; height: 0.9rem; border: 1px solid #555; vertical-align: middle; background: #fff; }
    .seat-key.picked { background: #0b5cad; } .seat-key.held { background: #d9d9d9; } .seat-key.blocked { background: #333; }
    .blocked-list { list-style: none; padding: 0; margin: 0; }
    .blocked-list li { display: flex; justify-content: space-between; align-items: center; gap: var(--space-2); padding: var(--space-1) 0; border-bottom: 1px solid var(--color-border-subtle, #ddd); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SeatBlocks {
  private readonly api = inject(API_CLIENT);
  readonly showtime = input.required<AdminShowtime>();
  protected readonly message = adminProblem;
  protected readonly when = formatShowtimeStart;

  protected readonly detail = resource({
    params: () => ({ id: this.showtime().id }),
    loader: async ({ params }) => unwrap(await this.api.GET('/showtimes/{showtimeId}', { params: { path: { showtimeId: params.id } } })),
  });
  protected readonly picked = signal<string[]>([]);
  protected readonly occupied = signal<string[]>([]);
  protected readonly reason = signal('');
  protected readonly formError = signal<string | null>(null);
  protected readonly problem = signal<ProblemMessage | null>(null);
  protected readonly saving = signal(false);
  protected readonly unblocking = signal<string | null>(null);
  protected readonly done = signal<string | null>(null);
  /** Blocks this screen learnt from blockSeats (reason, who, when), by seat. */
  private readonly known = signal<Record<string, Schemas['SeatBlock']>>({});

  /** The seats the map shows BLOCKED, with what is known of each block. */
  protected readonly blocked = computed(() => {
    if (!this.detail.hasValue()) return [];
    const known = this.known();
    return this.detail.value()!.seatMap.seats.filter((s) => s.status === 'BLOCKED').map((s) => ({ seatId: s.id, block: known[s.id] }));
  });

  protected seatLabel(s: Schemas['SeatState']): string {
    const type = s.type === 'STANDARD' ? '' : `, ${SEAT_TYPE_LABELS[s.type].toLowerCase()}`;
    const picked = this.picked().includes(s.id) ? ', selecionado' : '';
    const occupied = this.occupied().includes(s.id) ? ', ocupado: não pode ser bloqueado' : '';
    return `${s.id}${type}, ${STATUS_LABELS[s.status]}${picked}${occupied}`;
  }

  protected toggle(s: Schemas['SeatState']): void {
    if (s.status !== 'AVAILABLE') return;
    this.picked.update((p) => (p.includes(s.id) ? p.filter((x) => x !== s.id) : [...p, s.id]));
  }

  protected async block(event: Event): Promise<void> {
    event.preventDefault();
    this.problem.set(null);
    this.done.set(null);
    const seatIds = this.picked();
    const reason = this.reason().trim();
    if (seatIds.length === 0) return this.formError.set('Selecione ao menos um assento no mapa.');
    if (seatIds.length > 50) return this.formError.set('No máximo 50 assentos por vez.');
    if (reason.length < 3 || reason.length > 200) return this.formError.set('Escreva o motivo, de 3 a 200 caracteres.');
    this.formError.set(null);
    this.occupied.set([]);
    this.saving.set(true);
    try {
      const list = unwrap(await this.api.POST('/admin/showtimes/{showtimeId}/blocks', {
        params: { path: { showtimeId: this.showtime().id } }, body: { seatIds, reason },
      }));
      this.known.set(Object.fromEntries(list.items.map((b) => [b.seatId, b])));
      this.picked.set([]);
      this.reason.set('');
      this.done.set(`${seatIds.length === 1 ? 'Assento bloqueado' : 'Assentos bloqueados'}: ${seatIds.join(', ')}.`);
      this.detail.reload();
    } catch (err) {
      this.problem.set(adminProblem(err, 'bloquear assentos'));
      if (err instanceof ApiError && err.code === 'seat_occupied') {
        const seats = err.problem?.seats ?? [];
        this.occupied.set(seats);
        this.picked.update((p) => p.filter((s) => !seats.includes(s)));
        this.detail.reload();
      }
    } finally {
      this.saving.set(false);
    }
  }

  protected async unblock(seatId: string): Promise<void> {
    this.problem.set(null);
    this.done.set(null);
    this.unblocking.set(seatId);
    try {
      unwrap(await this.api.DELETE('/admin/showtimes/{showtimeId}/blocks/{seatId}', { params: { path: { showtimeId: this.showtime().id, seatId } } }));
      this.known.update((k) => Object.fromEntries(Object.entries(k).filter(([id]) => id !== seatId)));
      this.done.set(`Assento ${seatId} de volta à venda.`);
      this.detail.reload();
    } catch (err) {
      this.problem.set(adminProblem(err, 'desbloquear o assento'));
    } finally {
      this.unblocking.set(null);
    }
  }
}

/**
 * Remarcar sessão: the new São Paulo day and time, what happens to the
 * tickets (KEEP_AND_NOTIFY or REFUND_ALL) and the reason (rescheduleShowtime).
 * A 409 showtime_overlap hands its conflicts to the page, which marks them on the grid.
 */
@Component({
  selector: 'app-reschedule-form',
  imports: [Notice],
  template: `
    <form class="reschedule" novalidate (submit)="submit($event)" aria-labelledby="resched-title" data-testid="reschedule-form">
      <h3 id="resched-title">Remarcar sessão</h3>
      <div class="row">
        <div class="field">
          <label for="resched-date">Novo dia</label>
          <input id="resched-date" type="date" [value]="draft().date" (change)="patch({ date: $any($event.target).value })"
            [attr.aria-invalid]="!!shown()['date']" [attr.aria-describedby]="shown()['date'] ? 'resched-date-error' : null" />
          @if (shown()['date']; as e) { <p class="field-error" id="resched-date-error">{{ e }}</p> }
        </div>
        <div class="field">
          <label for="resched-time">Novo horário</label>
          <input id="resched-time" type="time" step="300" [value]="draft().time" (change)="patch({ time: $any($event.target).value })"
            [attr.aria-invalid]="!!shown()['time']" [attr.aria-describedby]="'resched-time-hint' + (shown()['time'] ? ' resched-time-error' : '')" />
          <p class="hint" id="resched-time-hint">Horário de São Paulo.</p>
          @if (shown()['time']; as e) { <p class="field-error" id="resched-time-error">{{ e }}</p> }
        </div>
      </div>
      <fieldset class="plan" [attr.aria-invalid]="!!shown()['ticketPlan']" [attr.aria-describedby]="shown()['ticketPlan'] ? 'resched-plan-error' : null">
        <legend>Ingressos já vendidos</legend>
        <label class="check"><input type="radio" name="ticket-plan" value="KEEP_AND_NOTIFY" [checked]="draft().ticketPlan === 'KEEP_AND_NOTIFY'"
          (change)="patch({ ticketPlan: 'KEEP_AND_NOTIFY' })" /> Manter ingressos e avisar</label>
        <label class="check"><input type="radio" name="ticket-plan" value="REFUND_ALL" [checked]="draft().ticketPlan === 'REFUND_ALL'"
          (change)="patch({ ticketPlan: 'REFUND_ALL' })" /> Reembolsar todos</label>
        @if (shown()['ticketPlan']; as e) { <p class="field-error" id="resched-plan-error">{{ e }}</p> }
      </fieldset>
      <div class="field">
        <label for="resched-reason">Motivo da remarcação (enviado aos compradores)</label>
        <textarea id="resched-reason" rows="2" [value]="draft().reason" (input)="patch({ reason: $any($event.target).value })"
          [attr.aria-invalid]="!!shown()['reason']" [attr.aria-describedby]="shown()['reason'] ? 'resched-reason-error' : null"></textarea>
        @if (shown()['reason']; as e) { <p class="field-error" id="resched-reason-error">{{ e }}</p> }
      </div>
      @if (problem(); as p) {
        <app-notice [message]="p" data-testid="reschedule-problem">
          @if (conflicts().length) {
            <ul class="conflicts" data-testid="reschedule-conflicts">
              @for (c of conflicts(); track $index) { <li>Sala ocupada de {{ when(c.startsAt) }} até {{ clockOf(c.busyUntil) }} (marcada no quadro)</li> }
            </ul>
          }
        </app-notice>
      }
      <div class="actions">
        <button type="submit" class="btn btn-primary btn-small" [disabled]="saving()">{{ saving() ? 'Remarcando…' : 'Remarcar sessão' }}</button>
      </div>
    </form>
  `,
  styles: `
    h3 { font-size: var(--text-md, 1.1rem); margin: 0 0 var(--space-2); }
    .row { display: flex; gap: var(--space-3); flex-wrap: wrap; }
    .plan { border: 1px solid var(--color-border-subtle, #ddd); border-radius: var(--radius-sm, 4px); padding: var(--space-2) var(--space-3); margin: var(--space-2) 0; }
    .check { display: flex; align-items: center; gap: var(--space-2); min-height: 2rem; }
    .conflicts { margin: var(--space-2) 0 0; padding-left: var(--space-5, 1.5rem); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RescheduleForm {
  private readonly api = inject(API_CLIENT);
  readonly showtime = input.required<AdminShowtime>();
  readonly rescheduled = output<Schemas['ShowtimeChangeResult']>();
  readonly overlap = output<Conflict[]>();
  protected readonly when = formatShowtimeStart;
  protected readonly clockOf = (instant: string) => spDateTime(instant).time;

  private readonly edits = signal<Partial<RescheduleDraft>>({});
  protected readonly current = computed(() => spDateTime(this.showtime().startsAt));
  protected readonly draft = computed<RescheduleDraft>(() => ({ ...this.current(), ticketPlan: '', reason: '', ...this.edits() }));
  protected readonly submitted = signal(false);
  protected readonly errors = computed(() => validateReschedule(this.draft(), this.current()));
  protected readonly shown = computed<RescheduleErrors>(() => (this.submitted() ? this.errors() : {}));
  protected readonly saving = signal(false);
  protected readonly problem = signal<ProblemMessage | null>(null);
  protected readonly conflicts = signal<Conflict[]>([]);

  protected patch(p: Partial<RescheduleDraft>): void {
    this.edits.update((e) => ({ ...e, ...p }));
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    this.submitted.set(true);
    this.problem.set(null);
    this.conflicts.set([]);
    const errors = this.errors();
    const first = (['date', 'time', 'ticketPlan', 'reason'] as const).find((k) => errors[k]);
    if (first) {
      const form = (event.target as HTMLElement | null)?.closest('form');
      const sel = { date: '#resched-date', time: '#resched-time', ticketPlan: 'input[name="ticket-plan"]', reason: '#resched-reason' }[first];
      queueMicrotask(() => form?.querySelector<HTMLElement>(sel)?.focus());
      return;
    }
    const d = this.draft();
    this.saving.set(true);
    try {
      const r = unwrap(await this.api.POST('/admin/showtimes/{showtimeId}/reschedule', {
        params: { path: { showtimeId: this.showtime().id } },
        body: { startsAt: spInstant(d.date, d.time), ticketPlan: d.ticketPlan as Schemas['TicketPlan'], reason: d.reason.trim() },
      }));
      this.rescheduled.emit(r);
    } catch (err) {
      this.problem.set(adminProblem(err, 'remarcar a sessão'));
      if (err instanceof ApiError && err.code === 'showtime_overlap') {
        const conflicts = err.problem?.conflicts ?? [];
        this.conflicts.set(conflicts);
        this.overlap.emit(conflicts);
      }
    } finally {
      this.saving.set(false);
    }
  }
}
