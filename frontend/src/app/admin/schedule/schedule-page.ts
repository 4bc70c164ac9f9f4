import { ChangeDetectionStrategy, Component, ElementRef, computed, effect, inject, resource, signal, viewChild } from '@angular/core';
import { API_CLIENT, ApiError, type Schemas, unwrap } from '../../api/api-client';
import type { ProblemMessage } from '../../api/problem-message';
import { addDays, formatLongDate, formatShowtimeStart, formatTime } from '../../shared/locale/format';
import { EmptyState, LoadingState, Notice } from '../../shared/ui/page-states';
import { AdminCinemaPicker, AdminCinemas } from '../admin-cinemas';
import { FORMATS, LANGUAGES, LANGUAGE_LABELS, daysBetween, spToday } from '../admin-format';
import { adminProblem } from '../admin-problem';
import { ScheduleGrid } from './schedule-grid';
import { RescheduleForm, SeatBlocks, spDateTime } from './showtime-actions';
import { type AdminShowtime, type Conflict, type GridBlock, buildGrid, conflictDays, parseTimes } from './schedule-layout';

interface MovieOption {
  id: string;
  title: string;
  retired: boolean;
}

export interface ScheduleDraft {
  movieId: string;
  roomIds: string[];
  from: string;
  to: string;
  times: string;
  format: Schemas['Format'] | '';
  language: Schemas['Language'] | '';
}

export type ScheduleErrors = Partial<Record<keyof ScheduleDraft, string>>;

/** The contract's ScheduleRequest rules, in pt-BR. */
export function validateSchedule(d: ScheduleDraft, today: string): ScheduleErrors {
  const e: ScheduleErrors = {};
  if (!d.movieId) e.movieId = 'Escolha o filme.';
  if (d.roomIds.length === 0) e.roomIds = 'Escolha ao menos uma sala.';
  else if (d.roomIds.length > 20) e.roomIds = 'No máximo 20 salas.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.from)) e.from = 'Informe o primeiro dia.';
  else if (daysBetween(today, d.from) < 0) e.from = 'O primeiro dia não pode ter passado.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.to)) e.to = 'Informe o último dia.';
  else if (!e.from && daysBetween(d.from, d.to) < 0) e.to = 'O último dia vem depois do primeiro.';
  else if (!e.from && daysBetween(d.from, d.to) > 31) e.to = 'No máximo 31 dias depois do primeiro.';
  const t = parseTimes(d.times);
  if (t.error) e.times = t.error;
  if (!d.format) e.format = 'Escolha o formato.';
  if (!d.language) e.language = 'Escolha o idioma.';
  return e;
}

/**
 * Programação (/admin/programacao): a cinema's day as a grid (getSchedule),
 * bulk scheduling (scheduleShowtimes) whose 409 showtime_overlap conflicts
 * are marked on the grid, and cancelling a showtime (cancelShowtime).
 */
@Component({
  selector: 'app-schedule-page',
  imports: [AdminCinemaPicker, ScheduleGrid, LoadingState, EmptyState, Notice, SeatBlocks, RescheduleForm],
  template: `
    <h1>Programação</h1>
    <div class="toolbar">
      <app-admin-cinema-picker />
      <div class="field">
        <label for="schedule-date">Dia</label>
        <input id="schedule-date" type="date" [value]="date()" (change)="setDate($any($event.target).value)" />
      </div>
      <button type="button" class="btn btn-secondary btn-small" (click)="setDate(addDays(date(), -1))">Dia anterior</button>
      <button type="button" class="btn btn-secondary btn-small" (click)="setDate(addDays(date(), 1))">Próximo dia</button>
    </div>
    <h2 id="grid-title">{{ longDate(date()) }}@if (schedule.hasValue()) { · limpeza de {{ schedule.value()!.cleaningMinutes }} min }</h2>
    @if (cancelResult(); as r) {
      <p class="success" role="status" data-testid="cancel-result">{{ r }}</p>
    }
    @if (rescheduleResult(); as r) {
      <p class="success" role="status" data-testid="reschedule-result">{{ r }}</p>
    }
    @if (!cinemas.cinemaId()) {
      @if (cinemas.list.error(); as err) {
        <app-notice [message]="message(err, 'listar os cinemas')" [retryable]="true" (retry)="cinemas.list.reload()" />
      } @else {
        <app-loading-state label="Carregando cinemas…" [count]="1" />
      }
    } @else if (schedule.error(); as err) {
      <app-notice [message]="message(err, 'ver a programação')" [retryable]="true" (retry)="schedule.reload()" data-testid="schedule-problem" />
    } @else if (!schedule.hasValue()) {
      <app-loading-state label="Carregando a programação…" [count]="2" />
    } @else if (schedule.value()!.rooms.length === 0) {
      <app-empty-state message="Este cinema não tem salas." />
    } @else {
      <section aria-labelledby="grid-title">
        <app-schedule-grid [grid]="grid()!" (pick)="open($event)" />
      </section>
    }

    <form class="panel schedule-form" novalidate (submit)="submit($event)" aria-labelledby="form-title">
      <h2 id="form-title">Programar sessões</h2>
      <p class="hint">Um filme em várias salas, em cada dia do período, em cada horário: todas as sessões são criadas, ou nenhuma.</p>
      <div class="form-grid">
        <div class="field">
          <label for="sch-movie">Filme</label>
          <select id="sch-movie" (change)="patch({ movieId: $any($event.target).value })" [attr.aria-invalid]="!!shown()['movieId']"
            [attr.aria-describedby]="shown()['movieId'] ? 'sch-movie-error' : null">
            <option value="">{{ movies.hasValue() ? 'Escolha…' : movies.error() ? 'Filmes indisponíveis' : 'Carregando…' }}</option>
            @for (m of movies.hasValue() ? movies.value() : []; track m.id) {
              <option [value]="m.id" [disabled]="m.retired" [selected]="m.id === draft().movieId">{{ m.title }}{{ m.retired ? ' (retirado)' : '' }}</option>
            }
          </select>
          @if (shown()['movieId']; as e) { <p class="field-error" id="sch-movie-error">{{ e }}</p> }
        </div>
        <fieldset class="field rooms" [attr.aria-invalid]="!!shown()['roomIds']" [attr.aria-describedby]="shown()['roomIds'] ? 'sch-rooms-error' : null">
          <legend>Salas</legend>
          @for (r of cinemas.cinema()?.rooms ?? []; track r.id) {
            <label class="check"><input type="checkbox" [checked]="draft().roomIds.includes(r.id)" (change)="toggleRoom(r.id)" />
              {{ r.name }} <span class="hint">({{ r.formats.join(', ') }})</span></label>
          } @empty {
            <p class="hint">Escolha um cinema.</p>
          }
          @if (shown()['roomIds']; as e) { <p class="field-error" id="sch-rooms-error">{{ e }}</p> }
        </fieldset>
        <div class="field">
          <label for="sch-from">Primeiro dia</label>
          <input id="sch-from" type="date" [value]="draft().from" (change)="patch({ from: $any($event.target).value })"
            [attr.aria-invalid]="!!shown()['from']" [attr.aria-describedby]="shown()['from'] ? 'sch-from-error' : null" />
          @if (shown()['from']; as e) { <p class="field-error" id="sch-from-error">{{ e }}</p> }
        </div>
        <div class="field">
          <label for="sch-to">Último dia</label>
          <input id="sch-to" type="date" [value]="draft().to" (change)="patch({ to: $any($event.target).value })"
            [attr.aria-invalid]="!!shown()['to']" [attr.aria-describedby]="shown()['to'] ? 'sch-to-error' : null" />
          @if (shown()['to']; as e) { <p class="field-error" id="sch-to-error">{{ e }}</p> }
        </div>
        <div class="field">
          <label for="sch-times">Horários</label>
          <input id="sch-times" type="text" placeholder="14:00, 19:30" [value]="draft().times" (input)="patch({ times: $any($event.target).value })"
            [attr.aria-invalid]="!!shown()['times']" [attr.aria-describedby]="'sch-times-hint' + (shown()['times'] ? ' sch-times-error' : '')" />
          <p class="hint" id="sch-times-hint">Horários de São Paulo, separados por vírgula, em marcas de 5 minutos.</p>
          @if (shown()['times']; as e) { <p class="field-error" id="sch-times-error">{{ e }}</p> }
        </div>
        <div class="field">
          <label for="sch-format">Formato</label>
          <select id="sch-format" (change)="patch({ format: $any($event.target).value })" [attr.aria-invalid]="!!shown()['format']"
            [attr.aria-describedby]="shown()['format'] ? 'sch-format-error' : null">
            <option value="">Escolha…</option>
            @for (f of formats; track f) { <option [value]="f" [selected]="draft().format === f">{{ f }}</option> }
          </select>
          @if (shown()['format']; as e) { <p class="field-error" id="sch-format-error">{{ e }}</p> }
        </div>
        <div class="field">
          <label for="sch-language">Idioma</label>
          <select id="sch-language" (change)="patch({ language: $any($event.target).value })" [attr.aria-invalid]="!!shown()['language']"
            [attr.aria-describedby]="shown()['language'] ? 'sch-language-error' : null">
            <option value="">Escolha…</option>
            @for (l of languages; track l) { <option [value]="l" [selected]="draft().language === l">{{ languageLabels[l] }}</option> }
          </select>
          @if (shown()['language']; as e) { <p class="field-error" id="sch-language-error">{{ e }}</p> }
        </div>
      </div>
      @if (problem(); as p) {
        <app-notice [message]="p" data-testid="schedule-form-problem">
          @if (conflicts().length) {
            <ul class="conflicts" data-testid="conflicts">
              @for (c of conflicts(); track $index) {
                <li>{{ roomName(c.roomId) }}: ocupada de {{ showtimeStart(c.startsAt) }} até {{ time(c.busyUntil) }}</li>
              }
            </ul>
            <div class="actions">
              @for (d of conflictDays(); track d) {
                <button type="button" class="btn btn-secondary btn-small" (click)="setDate(d, true)">Ver {{ longDate(d) }} no quadro</button>
              }
            </div>
          }
        </app-notice>
      }
      @if (created(); as c) {
        <p class="success" role="status" data-testid="schedule-created">{{ c }}</p>
      }
      <div class="actions">
        <button type="submit" class="btn btn-primary" [disabled]="saving()">{{ saving() ? 'Programando…' : 'Programar sessões' }}</button>
      </div>
    </form>

    <dialog #details class="admin-dialog" aria-labelledby="st-title" (close)="picked.set(null)">
      @if (picked(); as s) {
        <h2 id="st-title">{{ s.movieTitle }}</h2>
        <p>{{ s.roomName }} · {{ showtimeStart(s.startsAt) }} às {{ time(s.endsAt) }} · sala livre às {{ time(s.busyUntil) }}</p>
        <p>{{ s.format }} · {{ languageLabels[s.language] }} · {{ s.sold }} de {{ s.capacity }} lugares vendidos</p>
        @if (s.status === 'CANCELLED') {
          <p><span class="tag off">Cancelada</span></p>
          <div class="actions"><button type="button" class="btn btn-secondary" (click)="closeDialog()">Fechar</button></div>
        } @else {
          <div class="showtime-tools">
            <app-seat-blocks [showtime]="s" />
            <app-reschedule-form [showtime]="s" (rescheduled)="onRescheduled($event)" (overlap)="onOverlap($event)" />
          </div>
          <form class="cancel-form" novalidate (submit)="cancelShowtime($event, s)">
            <h3>Cancelar sessão</h3>
            <div class="field">
              <label for="cancel-reason">Motivo do cancelamento (enviado aos compradores)</label>
              <textarea id="cancel-reason" rows="3" [value]="reason()" (input)="reason.set($any($event.target).value)"
                [attr.aria-invalid]="!!reasonError()" [attr.aria-describedby]="'cancel-hint' + (reasonError() ? ' cancel-error' : '')"></textarea>
              <p class="hint" id="cancel-hint">Todos os pedidos pagos são reembolsados e os compradores avisados.</p>
              @if (reasonError(); as e) { <p class="field-error" id="cancel-error">{{ e }}</p> }
            </div>
            @if (cancelProblem(); as p) { <app-notice [message]="p" /> }
            <div class="actions">
              <button type="button" class="btn btn-secondary" (click)="closeDialog()">Manter sessão</button>
              <button type="submit" class="btn btn-danger" [disabled]="cancelling()">{{ cancelling() ? 'Cancelando…' : 'Cancelar sessão' }}</button>
            </div>
          </form>
        }
      }
    </dialog>
  `,
  styles: `
    h2 { font-size: var(--text-lg); }
    .schedule-form { margin-top: var(--space-5); }
    .rooms { border: 1px solid var(--color-border-subtle); border-radius: var(--radius-sm); padding: var(--space-2) var(--space-3); margin: 0; }
    .rooms legend { font-weight: var(--weight-semibold); padding: 0 var(--space-1); }
    .check { display: flex; align-items: center; gap: var(--space-2); min-height: 2rem; }
    .conflicts { margin: var(--space-2) 0 0; padding-left: var(--space-5); }
    .admin-dialog:has(.showtime-tools) { width: min(64rem, 96vw); }
    .showtime-tools { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: var(--space-4); align-items: start; }
    .cancel-form { margin-top: var(--space-4); border-top: 1px solid var(--color-border-subtle); padding-top: var(--space-3); }
    .cancel-form h3 { font-size: var(--text-md, 1.1rem); margin: 0 0 var(--space-2); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SchedulePage {
  private readonly api = inject(API_CLIENT);
  protected readonly cinemas = inject(AdminCinemas);
  private readonly dialog = viewChild<ElementRef<HTMLDialogElement>>('details');
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  protected readonly message = adminProblem;
  protected readonly addDays = addDays;
  protected readonly longDate = formatLongDate;
  protected readonly showtimeStart = formatShowtimeStart;
  protected readonly time = formatTime;
  protected readonly formats = FORMATS;
  protected readonly languages = LANGUAGES;
  protected readonly languageLabels = LANGUAGE_LABELS;

  protected readonly date = signal(spToday());
  protected readonly schedule = resource({
    params: () => (this.cinemas.cinemaId() ? { cinemaId: this.cinemas.cinemaId(), date: this.date() } : undefined),
    loader: async ({ params }) =>
      unwrap(await this.api.GET('/admin/cinemas/{cinemaId}/schedule', { params: { path: { cinemaId: params.cinemaId }, query: { date: params.date } } })),
  });
  protected readonly conflicts = signal<Conflict[]>([]);
  protected readonly grid = computed(() => (this.schedule.hasValue() ? buildGrid(this.schedule.value()!, this.conflicts()) : null));
  protected readonly conflictDays = computed(() => conflictDays(this.conflicts(), this.draft().from || this.date()));

  /** Movies to schedule: the back office's list, or the buyers' catalogue while that is not available. */
  protected readonly movies = resource({
    loader: async (): Promise<MovieOption[]> => {
      try {
        return unwrap(await this.api.GET('/admin/movies')).items.map((m) => ({ id: m.id, title: m.title, retired: m.retired }));
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 501) throw err;
        return unwrap(await this.api.GET('/movies')).items.map((m) => ({ id: m.id, title: m.title, retired: false }));
      }
    },
  });

  protected readonly draft = signal<ScheduleDraft>({ movieId: '', roomIds: [], from: spToday(), to: spToday(), times: '', format: '', language: '' });
  protected readonly submitted = signal(false);
  protected readonly errors = computed(() => validateSchedule(this.draft(), spToday()));
  protected readonly shown = computed<ScheduleErrors>(() => (this.submitted() ? this.errors() : {}));
  protected readonly saving = signal(false);
  protected readonly problem = signal<ProblemMessage | null>(null);
  protected readonly created = signal<string | null>(null);

  protected readonly picked = signal<AdminShowtime | null>(null);
  protected readonly reason = signal('');
  protected readonly reasonError = signal<string | null>(null);
  protected readonly cancelling = signal(false);
  protected readonly cancelProblem = signal<ProblemMessage | null>(null);
  protected readonly cancelResult = signal<string | null>(null);
  protected readonly rescheduleResult = signal<string | null>(null);

  constructor() {
    // Rooms belong to a cinema: a new cinema clears the rooms picked.
    effect(() => {
      this.cinemas.cinemaId();
      this.draft.update((d) => ({ ...d, roomIds: [] }));
    });
  }

  protected setDate(day: string, keepConflicts = false): void {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
    this.date.set(day);
    if (!keepConflicts) this.conflicts.set([]);
  }

  protected patch(p: Partial<ScheduleDraft>): void {
    this.draft.update((d) => ({ ...d, ...p }));
  }

  protected toggleRoom(id: string): void {
    this.draft.update((d) => ({ ...d, roomIds: d.roomIds.includes(id) ? d.roomIds.filter((r) => r !== id) : [...d.roomIds, id] }));
  }

  protected roomName(id: string): string {
    return this.cinemas.cinema()?.rooms.find((r) => r.id === id)?.name ?? id;
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    this.submitted.set(true);
    this.problem.set(null);
    this.created.set(null);
    this.conflicts.set([]);
    const errors = this.errors();
    const first = (['movieId', 'roomIds', 'from', 'to', 'times', 'format', 'language'] as const).find((k) => errors[k]);
    if (first) {
      const ids: Record<string, string> = { movieId: 'sch-movie', roomIds: 'sch-rooms', from: 'sch-from', to: 'sch-to', times: 'sch-times', format: 'sch-format', language: 'sch-language' };
      queueMicrotask(() => this.host.nativeElement.querySelector<HTMLElement>(first === 'roomIds' ? '.rooms input' : `#${ids[first]}`)?.focus());
      return;
    }
    const d = this.draft();
    this.saving.set(true);
    try {
      const res = unwrap(await this.api.POST('/admin/showtimes', {
        body: {
          movieId: d.movieId, cinemaId: this.cinemas.cinemaId(), roomIds: d.roomIds, from: d.from, to: d.to,
          times: parseTimes(d.times).times, format: d.format as Schemas['Format'], language: d.language as Schemas['Language'],
        },
      }));
      const n = res.items.length;
      this.created.set(`${n} ${n === 1 ? 'sessão programada' : 'sessões programadas'}.`);
      this.date.set(d.from);
      this.schedule.reload();
    } catch (err) {
      this.problem.set(adminProblem(err, 'programar sessões'));
      if (err instanceof ApiError && err.code === 'showtime_overlap') {
        const conflicts = err.problem?.conflicts ?? [];
        this.conflicts.set(conflicts);
        const days = conflictDays(conflicts, d.from);
        if (days.length && !days.includes(this.date())) this.date.set(days[0]);
      }
    } finally {
      this.saving.set(false);
    }
  }

  protected open(b: GridBlock): void {
    this.picked.set(b.showtime);
    this.reason.set('');
    this.reasonError.set(null);
    this.cancelProblem.set(null);
    this.rescheduleResult.set(null);
    const d = this.dialog()?.nativeElement;
    if (d && typeof d.showModal === 'function' && !d.open) d.showModal();
  }

  protected closeDialog(): void {
    const d = this.dialog()?.nativeElement;
    if (d?.open && typeof d.close === 'function') d.close();
    this.picked.set(null);
  }

  /** A rescheduled showtime: what happened to its orders, and the grid on its new day. */
  protected onRescheduled(r: Schemas['ShowtimeChangeResult']): void {
    this.rescheduleResult.set(
      `Sessão de ${r.showtime.movieTitle} remarcada para ${formatShowtimeStart(r.showtime.startsAt)}: ` +
        `${r.ordersAffected} ${r.ordersAffected === 1 ? 'pedido afetado' : 'pedidos afetados'}, ` +
        `${r.ordersRefunded} ${r.ordersRefunded === 1 ? 'reembolsado' : 'reembolsados'}, ` +
        `${r.buyersNotified} ${r.buyersNotified === 1 ? 'comprador avisado' : 'compradores avisados'}.`,
    );
    this.closeDialog();
    this.conflicts.set([]);
    const day = spDateTime(r.showtime.startsAt).date;
    if (day !== this.date()) this.date.set(day);
    else this.schedule.reload();
  }

  /** A refused reschedule: its conflicts marked on the grid, on the first day they fall on. */
  protected onOverlap(conflicts: Conflict[]): void {
    this.conflicts.set(conflicts);
    const days = conflictDays(conflicts, this.date());
    if (days.length && !days.includes(this.date())) this.date.set(days[0]);
  }

  protected async cancelShowtime(event: Event, s: AdminShowtime): Promise<void> {
    event.preventDefault();
    const reason = this.reason().trim();
    if (reason.length < 3 || reason.length > 300) {
      this.reasonError.set('Escreva o motivo, de 3 a 300 caracteres.');
      return;
    }
    this.reasonError.set(null);
    this.cancelling.set(true);
    try {
      const r = unwrap(await this.api.POST('/admin/showtimes/{showtimeId}/cancel', { params: { path: { showtimeId: s.id } }, body: { reason } }));
      this.cancelResult.set(
        `Sessão de ${r.showtime.movieTitle} (${formatShowtimeStart(r.showtime.startsAt)}) cancelada: ` +
          `${r.ordersRefunded} de ${r.ordersAffected} ${r.ordersAffected === 1 ? 'pedido reembolsado' : 'pedidos reembolsados'}, ` +
          `${r.buyersNotified} ${r.buyersNotified === 1 ? 'comprador avisado' : 'compradores avisados'}.`,
      );
      this.closeDialog();
      this.schedule.reload();
    } catch (err) {
      this.cancelProblem.set(adminProblem(err, 'cancelar a sessão'));
    } finally {
      this.cancelling.set(false);
    }
  }
}
