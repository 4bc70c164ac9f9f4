import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { ApiError } from '../api/api-client';
import { type ProblemMessage, problemMessage } from '../api/problem-message';
import { LoadingState, Notice } from '../shared/ui/page-states';
import { Stepper } from '../shared/ui/stepper';
import { type WaitingRoomEntry, WaitingRoomStore, admitted } from './waiting-room-store';

/** The fastest polling the page does, whatever the server suggests. */
export const MIN_POLL_MS = 2000;

/** "cerca de 4 minutos", "cerca de 1 minuto", "menos de 1 minuto". */
export function formatWait(seconds: number): string {
  if (seconds < 60) return 'menos de 1 minuto';
  const m = Math.round(seconds / 60);
  return `cerca de ${m} ${m === 1 ? 'minuto' : 'minutos'}`;
}

/**
 * Fila virtual (/sessoes/:showtimeId/fila): a showtime in premiere mode asks
 * buyers to queue before holding seats (createHold answered 403
 * `waiting_room_required`). The page takes the buyer's place
 * (enterWaitingRoom, or the place this tab already has), shows position,
 * people ahead and the estimated wait, polls getWaitingRoomEntry at the pace
 * the server sets (`pollAfterSeconds`) and, once admitted, goes back to the
 * seat map, which holds the picked seats with the admission token.
 */
@Component({
  selector: 'app-waiting-room-page',
  imports: [RouterLink, Stepper, LoadingState, Notice],
  template: `
    <app-stepper [current]="0" />
    <h1>Fila virtual</h1>
    @if (problem(); as p) {
      <app-notice [message]="p" [retryable]="true" (retry)="start()" data-testid="queue-problem" />
    } @else if (entry(); as e) {
      @if (e.status === 'WAITING') {
        <section class="queue" aria-labelledby="queue-title" data-testid="queue">
          <h2 id="queue-title">Você está na fila</h2>
          <p>Esta sessão tem muita procura. Para ser justo com todos, a entrada é por ordem de chegada.</p>
          <dl class="figures">
            <div><dt>Sua posição</dt><dd data-testid="queue-position">{{ e.position }}º</dd></div>
            <div><dt>Pessoas na sua frente</dt><dd data-testid="queue-ahead">{{ e.aheadOfYou }}</dd></div>
            <div><dt>Espera estimada</dt><dd data-testid="queue-eta">{{ wait(e.etaSeconds) }}</dd></div>
          </dl>
          <div class="bar" role="progressbar" aria-label="Andamento da fila" aria-valuemin="0" aria-valuemax="100"
            [attr.aria-valuenow]="progress()" [attr.aria-valuetext]="progress() + '% do caminho'">
            <span [style.width.%]="progress()"></span>
          </div>
          <p class="hint">Deixe esta página aberta: ela se atualiza sozinha. Se recarregar, você mantém o seu lugar.
            Seus assentos escolhidos ficam guardados e são reservados assim que chegar a sua vez.</p>
        </section>
      } @else if (e.status === 'EXPIRED') {
        <app-notice [message]="expired" data-testid="queue-expired" />
        <button type="button" class="btn btn-primary" (click)="enterAgain()">Entrar na fila de novo</button>
      } @else {
        <p role="status" class="ok" data-testid="queue-admitted">Chegou a sua vez! Voltando aos assentos…</p>
      }
      <p class="visually-hidden" aria-live="polite" data-testid="queue-announcement">{{ announcement() }}</p>
    } @else {
      <app-loading-state label="Entrando na fila…" [count]="1" />
    }
    <p><a [routerLink]="['/sessoes', showtimeId(), 'assentos']">Voltar ao mapa de assentos</a></p>
  `,
  styles: `
    :host { display: block; max-width: 36rem; }
    app-stepper { display: block; margin-bottom: var(--space-4); }
    h1 { margin: 0 0 var(--space-3); font-size: var(--text-xl); }
    h2 { margin: 0 0 var(--space-2); font-size: var(--text-lg); }
    .queue { padding: var(--space-4); background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    .queue p { margin: 0 0 var(--space-3); }
    .figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr)); gap: var(--space-3); margin: 0 0 var(--space-3); }
    .figures div { padding: var(--space-3); border-radius: var(--radius-md); background: var(--color-surface-sunken); }
    dt { font-size: var(--text-sm); color: var(--color-text-muted); }
    dd { margin: var(--space-1) 0 0; font-size: var(--text-xl); font-weight: var(--weight-bold); font-variant-numeric: tabular-nums; }
    .bar { height: 0.75rem; border-radius: var(--radius-pill); background: var(--color-surface-sunken); overflow: hidden; margin-bottom: var(--space-3); }
    .bar span { display: block; height: 100%; background: var(--color-primary); transition: width 0.5s; }
    .hint { color: var(--color-text-muted); font-size: var(--text-sm); }
    .ok { color: var(--color-success); font-weight: var(--weight-semibold); }
    app-notice { display: block; margin-bottom: var(--space-3); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class WaitingRoomPage {
  readonly showtimeId = input.required<string>();
  private readonly store = inject(WaitingRoomStore);
  private readonly router = inject(Router);
  protected readonly entry = signal<WaitingRoomEntry | null>(null);
  protected readonly problem = signal<ProblemMessage | null>(null);
  protected readonly announcement = signal('');
  protected readonly wait = formatWait;
  protected readonly expired: ProblemMessage = {
    kind: 'info',
    code: 'waiting_room_expired',
    title: 'Sua vez passou',
    detail: 'O tempo para reservar depois da sua vez acabou. Entre na fila de novo.',
  };
  /** How many were ahead when the page first saw the entry: the progress bar's whole. */
  private firstAhead = 0;
  protected readonly progress = computed(() => {
    const e = this.entry();
    if (!e || this.firstAhead === 0) return e && e.aheadOfYou === 0 ? 100 : 0;
    return Math.round((100 * (this.firstAhead - e.aheadOfYou)) / this.firstAhead);
  });
  private timer: ReturnType<typeof setTimeout> | undefined;
  private destroyed = false;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      clearTimeout(this.timer);
    });
    effect(() => {
      this.showtimeId();
      untracked(() => void this.start());
    });
  }

  /** The place this tab already has (getWaitingRoomEntry), or a new one (enterWaitingRoom). */
  protected async start(): Promise<void> {
    clearTimeout(this.timer);
    this.problem.set(null);
    const showtimeId = this.showtimeId();
    try {
      const saved = this.store.savedEntryId(showtimeId);
      let entry: WaitingRoomEntry | null = null;
      if (saved) {
        try {
          entry = await this.store.read(saved);
        } catch (err) {
          if (!(err instanceof ApiError && err.status === 404)) throw err;
        }
      }
      if (!entry || entry.status === 'EXPIRED') entry = await this.store.enter(showtimeId);
      await this.show(entry);
    } catch (err) {
      this.problem.set(problemMessage(err, 'entrar na fila'));
    }
  }

  protected async enterAgain(): Promise<void> {
    this.entry.set(null);
    this.problem.set(null);
    try {
      await this.show(await this.store.enter(this.showtimeId()));
    } catch (err) {
      this.problem.set(problemMessage(err, 'entrar na fila'));
    }
  }

  private async show(entry: WaitingRoomEntry): Promise<void> {
    if (this.destroyed) return;
    const before = this.entry();
    if (!before && entry.status === 'WAITING') this.firstAhead = entry.aheadOfYou;
    this.entry.set(entry);
    if (entry.status === 'WAITING') {
      if (!before || before.aheadOfYou !== entry.aheadOfYou) {
        this.announcement.set(`Sua posição: ${entry.position}º. ${entry.aheadOfYou} na sua frente. Espera de ${formatWait(entry.etaSeconds)}.`);
      }
      this.schedule(entry);
      return;
    }
    if (admitted(entry)) {
      this.announcement.set('Chegou a sua vez!');
      this.store.resume.set(entry.showtimeId);
      await this.router.navigate(['/sessoes', entry.showtimeId, 'assentos'], { replaceUrl: true });
    }
  }

  private schedule(entry: WaitingRoomEntry): void {
    const ms = Math.max(MIN_POLL_MS, entry.pollAfterSeconds * 1000);
    this.timer = setTimeout(async () => {
      try {
        await this.show(await this.store.read(entry.id));
      } catch {
        // a missed poll: try again at the same pace
        if (!this.destroyed) this.schedule(entry);
      }
    }, ms);
  }
}
