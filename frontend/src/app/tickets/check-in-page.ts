import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, computed, inject, resource, signal, viewChild } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { AuthService } from '../account/auth.service';
import { API_CLIENT, ApiError, type Schemas, unwrap } from '../api/api-client';
import { type ProblemMessage, problemMessage } from '../api/problem-message';
import { TICKET_TYPES } from '../seat-selection/ticket-type-labels';
import { addDays, formatTime, formatTimeAndDate, spDate } from '../shared/locale/format';
import { SpShowtimePipe } from '../shared/locale/pipes';
import { LoadingState, Notice } from '../shared/ui/page-states';
import { QrCamera } from './qr-camera';

/** What the door sees after a check-in. */
export type CheckInResult =
  | { kind: 'valid'; checkIn: Schemas['CheckIn'] }
  | { kind: 'used'; usedAt?: string }
  | { kind: 'not-valid' }
  | { kind: 'refused'; title: string; detail: string }
  | { kind: 'invalid' }
  | { kind: 'problem'; message: ProblemMessage };

/** Turns checkInTicket's answer (or failure) into what the door sees. */
export function checkInResult(err: unknown): CheckInResult {
  if (err instanceof ApiError) {
    switch (err.code) {
      case 'ticket_already_used':
        return { kind: 'used', usedAt: err.problem?.usedAt };
      case 'ticket_not_valid':
        return { kind: 'not-valid' };
      case 'wrong_showtime':
      case 'outside_check_in_window': {
        // The server's detail names the ticket's own showtime and its start.
        const { title, detail } = problemMessage(err, 'validar o ingresso');
        return { kind: 'refused', title, detail };
      }
      case 'invalid_ticket':
      case 'validation_failed':
        return { kind: 'invalid' };
    }
  }
  return { kind: 'problem', message: problemMessage(err, 'validar o ingresso') };
}

/** The door's cinema and showtime, kept for this tab so a reload keeps the door. */
const DOOR_KEY = 'bilhetagem.door';
interface DoorChoice {
  cinemaId: string;
  showtimeId: string;
}
function savedDoor(): DoorChoice {
  try {
    const d = JSON.parse(sessionStorage.getItem(DOOR_KEY) ?? '{}') as Partial<DoorChoice>;
    return { cinemaId: d.cinemaId ?? '', showtimeId: d.showtimeId ?? '' };
  } catch {
    return { cinemaId: '', showtimeId: '' };
  }
}

/** The QR payload of a ticket, trimmed of what a scanner or a paste adds around it. */
export function qrPayload(text: string): string {
  return text.replace(/\s+/g, '');
}

/**
 * Check-in (/equipe/check-in), staff only: the door first picks the cinema
 * and the showtime it serves (of yesterday, today or tomorrow; kept for the
 * tab); then the QR token
 * is pasted or typed (always works), or read with the camera where the
 * browser has BarcodeDetector. checkInTicket answers valid (201, with a meia
 * flag and the proof to ask for), already used (409 with `usedAt`), not
 * valid (cancelled), refused (another showtime, or outside its door's time,
 * with the server's detail naming the ticket's showtime) or invalid (not
 * signed by the chain). The server decides who is staff; the page only hides
 * itself from buyers.
 */
@Component({
  selector: 'app-check-in-page',
  imports: [FormsModule, RouterLink, Notice, LoadingState, SpShowtimePipe],
  template: `
    <h1>Check-in</h1>
    @if (!auth.me()) {
      <app-loading-state label="Carregando sua conta…" [count]="1" />
    } @else if (!auth.isStaff()) {
      <app-notice [message]="restricted" data-testid="check-in-restricted" />
      <p><a routerLink="/">Voltar ao início</a></p>
    } @else {
      <fieldset class="panel door">
        <legend>Entrada</legend>
        <label class="field-label" for="door-cinema">Cinema</label>
        <select id="door-cinema" class="select" (change)="chooseCinema($any($event.target).value)" [disabled]="!cinemas.hasValue()">
          @if (!cinemas.hasValue()) {
            <option value="">{{ cinemas.error() ? 'Cinemas indisponíveis' : 'Carregando…' }}</option>
          }
          @for (c of cinemaList(); track c.id) {
            <option [value]="c.id" [selected]="c.id === cinemaId()">{{ c.name }}</option>
          }
        </select>
        <label class="field-label" for="door-day">Dia</label>
        <select id="door-day" class="select" (change)="chooseDay($any($event.target).value)">
          @for (d of days; track d.date) {
            <option [value]="d.date" [selected]="d.date === day()">{{ d.label }}</option>
          }
        </select>
        <label class="field-label" for="door-showtime">Sessão desta entrada</label>
        <select id="door-showtime" class="select" (change)="chooseShowtime($any($event.target).value)"
          [disabled]="!showtimes.hasValue()" aria-describedby="door-hint">
          <option value="" [selected]="!door()">{{ showtimePrompt() }}</option>
          @for (s of showtimeList(); track s.id) {
            <option [value]="s.id" [selected]="s.id === door()?.id">{{ showtimeLabel(s) }}</option>
          }
        </select>
        <p id="door-hint" class="hint">Cada ingresso só entra na sua sessão, de pouco antes do início até o fim. Depois da meia-noite, a sessão que começou antes dela está em Ontem.</p>
      </fieldset>

      <p class="lead">Leia o QR code do ingresso com a câmera ou cole o código abaixo.</p>
      @if (cameraSupported) {
        <div class="camera">
          @if (scanning()) {
            <video #video class="video" playsinline muted aria-label="Imagem da câmera procurando um QR code"></video>
            <button type="button" class="btn btn-secondary" (click)="stopCamera()">Parar câmera</button>
          } @else {
            <button type="button" class="btn btn-secondary" (click)="startCamera()" [disabled]="!door()">Ler com a câmera</button>
          }
          @if (cameraProblem(); as p) {
            <p class="hint" role="status">{{ p }}</p>
          }
        </div>
      }
      <form class="panel" (ngSubmit)="check()">
        <label for="qr">Código do ingresso</label>
        <textarea #qrInput id="qr" name="qr" rows="3" autocomplete="off" spellcheck="false" autocapitalize="off"
          placeholder="BLT1.…" [ngModel]="qr()" (ngModelChange)="qr.set($event)" aria-describedby="qr-hint"></textarea>
        <p id="qr-hint" class="hint">Começa com BLT1. Um leitor de QR code que digita o código também funciona aqui.</p>
        <button type="submit" class="btn btn-primary" [disabled]="busy() || !payload() || !door()">
          {{ busy() ? 'Validando…' : 'Validar ingresso' }}
        </button>
      </form>

      <div aria-live="assertive" aria-atomic="true" data-testid="check-in-result">
        @if (result(); as r) {
          @switch (r.kind) {
            @case ('valid') {
              @if (valid(); as c) {
                <section class="result ok" aria-labelledby="result-title">
                  <h2 id="result-title">Entrada liberada</h2>
                  <p class="seat">Assento {{ c.seatId }} · {{ typeLabel(c.ticketType) }}</p>
                  <p>{{ c.movieTitle }} · {{ c.roomName }} · {{ c.startsAt | spShowtime }}</p>
                  @if (c.meia) {
                    <p class="meia" data-testid="meia-flag"><strong>Meia-entrada: peça o documento.</strong>
                      {{ c.proof || 'Confira o documento que dá direito à meia-entrada.' }}</p>
                  }
                </section>
              }
            }
            @case ('used') {
              <section class="result bad" aria-labelledby="result-title">
                <h2 id="result-title">Ingresso já utilizado</h2>
                <p>{{ usedText() }}</p>
              </section>
            }
            @case ('not-valid') {
              <section class="result bad" aria-labelledby="result-title">
                <h2 id="result-title">Ingresso não vale para esta entrada</h2>
                <p>Ele foi cancelado. Não libere a entrada.</p>
              </section>
            }
            @case ('refused') {
              @if (refused(); as f) {
                <section class="result bad" aria-labelledby="result-title">
                  <h2 id="result-title">{{ f.title }}</h2>
                  <p>{{ f.detail }} Não libere a entrada.</p>
                </section>
              }
            }
            @case ('invalid') {
              <section class="result bad" aria-labelledby="result-title">
                <h2 id="result-title">Ingresso inválido</h2>
                <p>Este código não é um ingresso da rede Bilhetagem. Não libere a entrada.</p>
              </section>
            }
            @case ('problem') {
              <app-notice [message]="problem()!" />
            }
          }
        }
      </div>
    }
  `,
  styles: `
    :host { display: block; max-width: 36rem; }
    h1 { margin: 0 0 var(--space-2); font-size: var(--text-xl); }
    .lead { margin: 0 0 var(--space-4); }
    .hint { margin: 0; color: var(--color-text-muted); font-size: var(--text-sm); }
    .door { border: 0; margin: 0 0 var(--space-4); }
    .door legend { padding: 0; font-weight: var(--weight-semibold); }
    .camera { display: grid; gap: var(--space-2); margin-bottom: var(--space-4); }
    .video { width: 100%; max-height: 50vh; background: #000; border-radius: var(--radius-md); }
    .panel { display: grid; gap: var(--space-2); padding: var(--space-4); margin-bottom: var(--space-4);
      background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    textarea { font-family: var(--font-mono); font-size: var(--text-sm); padding: var(--space-2); border: 1px solid var(--color-border);
      border-radius: var(--radius-sm); width: 100%; box-sizing: border-box; word-break: break-all; }
    .result { padding: var(--space-4); border-radius: var(--radius-md); border: 2px solid; }
    .result h2 { margin: 0 0 var(--space-2); font-size: var(--text-xl); }
    .result p { margin: var(--space-1) 0 0; }
    .ok { border-color: var(--color-success); background: var(--color-surface); }
    .ok h2 { color: var(--color-success); }
    .bad { border-color: var(--color-danger); background: var(--color-danger-bg); color: var(--color-danger); }
    .seat { font-size: var(--text-lg); font-weight: var(--weight-bold); }
    .meia { margin-top: var(--space-3) !important; padding: var(--space-3); border-radius: var(--radius-md);
      background: var(--color-warning-bg); color: var(--color-on-warning); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CheckInPage {
  private readonly api = inject(API_CLIENT);
  protected readonly auth = inject(AuthService);
  protected readonly restricted: ProblemMessage = {
    kind: 'error',
    code: 'forbidden',
    title: 'Acesso restrito',
    detail: 'O check-in é só para a equipe dos cinemas.',
  };
  /** The back camera reading QR codes; its path shows only where the browser can both film and read them. */
  private readonly camera = new QrCamera('Não foi possível abrir a câmera. Cole ou digite o código.');
  protected readonly cameraSupported = this.camera.supported;

  private readonly chosen = signal<DoorChoice>(savedDoor());
  protected readonly cinemas = resource({
    params: () => (this.auth.isStaff() ? {} : undefined),
    loader: async () => unwrap(await this.api.GET('/cinemas')).items,
  });
  protected readonly cinemaList = computed(() => (this.cinemas.hasValue() ? this.cinemas.value() : []));
  /** The door's cinema: the one chosen while it exists, else the first. */
  protected readonly cinemaId = computed(() => {
    const list = this.cinemaList();
    const id = this.chosen().cinemaId;
    return list.some((c) => c.id === id) ? id : (list[0]?.id ?? '');
  });
  /** Yesterday (a showtime still running after midnight), today and tomorrow, in São Paulo. */
  protected readonly days = ((today) => [
    { label: 'Ontem', date: addDays(today, -1) },
    { label: 'Hoje', date: today },
    { label: 'Amanhã', date: addDays(today, 1) },
  ])(spDate(new Date()));
  protected readonly day = signal(this.days[1].date);
  /** The showtimes of the door's cinema on the chosen day. */
  protected readonly showtimes = resource({
    params: () => (this.cinemaId() ? { cinemaId: this.cinemaId(), date: this.day() } : undefined),
    loader: async ({ params }) => unwrap(await this.api.GET('/showtimes', { params: { query: params } })).items,
  });
  protected readonly showtimeList = computed(() => (this.showtimes.hasValue() ? this.showtimes.value() : []));
  /** The showtime the door serves, once one of the list is chosen. */
  protected readonly door = computed(() => this.showtimeList().find((s) => s.id === this.chosen().showtimeId));
  protected readonly showtimePrompt = computed(() => {
    if (this.showtimes.error()) return 'Sessões indisponíveis';
    if (!this.showtimes.hasValue()) return 'Carregando…';
    return this.showtimeList().length ? 'Escolha a sessão' : 'Nenhuma sessão neste dia';
  });

  protected readonly qr = signal('');
  protected readonly payload = computed(() => qrPayload(this.qr()));
  protected readonly busy = signal(false);
  protected readonly result = signal<CheckInResult | null>(null);
  protected readonly valid = computed(() => {
    const r = this.result();
    return r?.kind === 'valid' ? r.checkIn : null;
  });
  protected readonly refused = computed(() => {
    const r = this.result();
    return r?.kind === 'refused' ? r : null;
  });
  protected readonly problem = computed(() => {
    const r = this.result();
    return r?.kind === 'problem' ? r.message : null;
  });
  protected readonly usedText = computed(() => {
    const r = this.result();
    if (r?.kind !== 'used') return '';
    return r.usedAt ? `Usado às ${formatTimeAndDate(r.usedAt)}. Não libere a entrada.` : 'Ele já passou pela entrada. Não libere a entrada.';
  });
  protected readonly scanning = this.camera.scanning;
  protected readonly cameraProblem = this.camera.problem;
  private readonly video = viewChild<ElementRef<HTMLVideoElement>>('video');
  private readonly qrInput = viewChild<ElementRef<HTMLTextAreaElement>>('qrInput');

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stopCamera());
  }

  protected chooseCinema(cinemaId: string): void {
    this.saveDoor({ cinemaId, showtimeId: '' });
  }

  protected chooseDay(date: string): void {
    this.day.set(date);
  }

  protected chooseShowtime(showtimeId: string): void {
    this.saveDoor({ cinemaId: this.cinemaId(), showtimeId });
    this.result.set(null);
  }

  private saveDoor(d: DoorChoice): void {
    this.chosen.set(d);
    sessionStorage.setItem(DOOR_KEY, JSON.stringify(d));
  }

  protected showtimeLabel(s: Schemas['Showtime']): string {
    return `${formatTime(s.startsAt)} · ${s.movieTitle} · ${s.roomName}`;
  }

  protected async check(): Promise<void> {
    const qr = this.payload();
    const door = this.door();
    if (!qr || !door || this.busy()) return;
    this.busy.set(true);
    this.result.set(null);
    try {
      const checkIn = unwrap(await this.api.POST('/checkins', { body: { qr, showtimeId: door.id } }));
      this.result.set({ kind: 'valid', checkIn });
    } catch (err) {
      this.result.set(checkInResult(err));
    } finally {
      this.busy.set(false);
      // Ready for the next ticket.
      this.qr.set('');
      this.qrInput()?.nativeElement.focus();
    }
  }

  protected typeLabel(code: Schemas['TicketTypeCode']): string {
    return TICKET_TYPES[code]?.label ?? code;
  }

  protected startCamera(): Promise<void> {
    return this.camera.start(() => this.video()?.nativeElement, (raw) => raw.startsWith('BLT1.'), async (raw) => {
      this.qr.set(raw);
      await this.check();
    });
  }

  protected stopCamera(): void {
    this.camera.stop();
  }

}
