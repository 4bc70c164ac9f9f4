import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  inject,
  resource,
  signal,
  viewChild,
} from '@angular/core';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import { AuthService } from '../account/auth.service';
import { API_CLIENT, ApiError, type Schemas, unwrap } from '../api/api-client';
import { type ProblemMessage, problemMessage } from '../api/problem-message';
import { formatTimeOfDay } from '../shared/locale/format';
import { SpShowtimePipe } from '../shared/locale/pipes';
import { LoadingState, Notice } from '../shared/ui/page-states';
import { QrCamera } from './qr-camera';

type Pickup = Schemas['Pickup'];
type PickupLine = Schemas['PickupLine'];

/** A pickup code as the API reads it: six of 23456789ABCDEFGHJKLMNPQRSTUVWXYZ (no 0, O, 1 or I). */
export const PICKUP_CODE = /^[2-9A-HJ-NP-Z]{6}$/;

/** The code as typed, pasted or scanned, without spaces and in uppercase ("k7m 2q9 " → "K7M2Q9"). */
export function normalizePickupCode(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** The refusals of a code that the counter shows as their own state. */
type PickupRefusal = 'pickup_not_found' | 'pickup_wrong_cinema' | 'pickup_not_valid';

/** What the counter sees after looking a code up or handing its items over. */
export type CounterResult =
  | { kind: 'found'; pickup: Pickup }
  | { kind: 'handed'; pickup: Pickup; handed: number[] }
  | { kind: 'already'; at?: string; by?: string }
  | { kind: 'refused'; code: PickupRefusal; title: string; detail: string }
  | { kind: 'invalid' }
  | { kind: 'problem'; message: ProblemMessage };

/**
 * Turns getPickup's or redeemPickup's failure into what the counter sees.
 * A 400 is a code the API cannot read only when looking one up; while
 * handing over it is a line the pickup lacks, which the page never sends.
 */
export function counterResult(err: unknown, step: 'look-up' | 'hand-over'): CounterResult {
  const what = step === 'look-up' ? 'consultar o código' : 'entregar os itens';
  if (err instanceof ApiError) {
    switch (err.code) {
      case 'pickup_already_redeemed':
        return { kind: 'already', at: err.problem?.redeemedAt, by: err.problem?.redeemedBy };
      case 'pickup_not_found':
      case 'pickup_wrong_cinema':
      case 'pickup_not_valid': {
        // The server's detail names the code, or the order's cinema, or why the order is no longer paid.
        const { title, detail } = problemMessage(err, what);
        return { kind: 'refused', code: err.code, title, detail };
      }
      case 'validation_failed':
        if (step === 'look-up') return { kind: 'invalid' };
    }
  }
  return { kind: 'problem', message: problemMessage(err, what) };
}

/** A pickup as a result: lines to hand over, or all of them handed over already (by the last one to). */
export function lookUpResult(pickup: Pickup): CounterResult {
  return pickup.remaining > 0 ? { kind: 'found', pickup } : { kind: 'already', ...lastHandover(pickup) };
}

/** When, and by whom, the last of a pickup's lines was handed over. */
export function lastHandover(pickup: Pickup): { at?: string; by?: string } {
  let last: PickupLine | undefined;
  for (const l of pickup.lines) {
    if (l.redeemedAt && (!last?.redeemedAt || Date.parse(l.redeemedAt) > Date.parse(last.redeemedAt))) last = l;
  }
  return last ? { at: last.redeemedAt, by: last.redeemedBy } : {};
}

/** "às 19:05 por Carla" (São Paulo time; the day too when it was not today). */
export function handedOverWhen(at: string | undefined, by: string | undefined, now: Date = new Date()): string {
  return [at ? `às ${formatTimeOfDay(at, now)}` : '', by ? `por ${by}` : ''].filter(Boolean).join(' ');
}

/** A line's size and flavours: "Tamanho G · Guaraná"; the single size ("UN") says nothing at the counter. */
export function pickupLineDetail(l: PickupLine): string {
  return [l.size && l.size !== 'UN' ? `Tamanho ${l.size}` : '', ...l.flavours].filter(Boolean).join(' · ');
}

/** "2× Água Mineral". */
export function pickupLineName(l: PickupLine): string {
  return `${l.quantity}× ${l.name}`;
}

/** The counter's cinema, kept for this tab so a reload keeps the counter. */
const COUNTER_KEY = 'bilhetagem.counter';
function savedCinema(): string {
  try {
    return (JSON.parse(sessionStorage.getItem(COUNTER_KEY) ?? '{}') as { cinemaId?: string }).cinemaId ?? '';
  } catch {
    return '';
  }
}

/**
 * Bomboniere counter (/equipe/bomboniere), staff only: the counter first
 * picks its cinema (kept for the tab); then the buyer's pickup code is typed
 * or pasted (always works; spaces and lowercase are fine), or its QR code is
 * read with the camera where the browser has BarcodeDetector. getPickup
 * lists the order's bomboniere lines, each handed over already (when, by
 * whom) or to pick; "Entregar tudo" hands over every line left (redeemPickup
 * without `lines`), "Entregar selecionados" the lines picked. Refusals: a
 * code of no paid order (404), of another cinema (422, the server's detail
 * names it), of a cancelled or refunded order (409 pickup_not_valid), and
 * items handed over before (409 pickup_already_redeemed with when and by
 * whom, or a pickup with nothing left). The server decides who is staff;
 * the page only hides itself from buyers.
 */
@Component({
  selector: 'app-counter-page',
  imports: [FormsModule, RouterLink, Notice, LoadingState, SpShowtimePipe],
  template: `
    <h1>Bomboniere</h1>
    @if (!auth.me()) {
      <app-loading-state label="Carregando sua conta…" [count]="1" />
    } @else if (!auth.isStaff()) {
      <app-notice [message]="restricted" data-testid="counter-restricted" />
      <p><a routerLink="/">Voltar ao início</a></p>
    } @else {
      <fieldset class="panel counter">
        <legend>Balcão</legend>
        <label class="field-label" for="counter-cinema">Cinema</label>
        <select id="counter-cinema" class="select" (change)="chooseCinema($any($event.target).value)" [disabled]="!cinemas.hasValue()"
          aria-describedby="counter-hint">
          <option value="" [selected]="!cinemaId()">{{ cinemaPrompt() }}</option>
          @for (c of cinemaList(); track c.id) {
            <option [value]="c.id" [selected]="c.id === cinemaId()">{{ c.name }}</option>
          }
        </select>
        <p id="counter-hint" class="hint">Os itens de um pedido só são entregues no cinema da sessão.</p>
      </fieldset>

      <p class="lead">Leia o QR code de retirada do cliente com a câmera ou digite o código.</p>
      @if (cameraSupported) {
        <div class="camera">
          @if (scanning()) {
            <video #video class="video" playsinline muted aria-label="Imagem da câmera procurando um QR code"></video>
            <button type="button" class="btn btn-secondary" (click)="stopCamera()">Parar câmera</button>
          } @else {
            <button type="button" class="btn btn-secondary" (click)="startCamera()" [disabled]="!cinemaId()">Ler com a câmera</button>
          }
          @if (cameraProblem(); as p) {
            <p class="hint" role="status">{{ p }}</p>
          }
        </div>
      }
      <form class="panel" (ngSubmit)="lookUp()">
        <label for="pickup-code">Código de retirada</label>
        <input #codeInput id="pickup-code" name="code" class="code-input" type="text" autocomplete="off" spellcheck="false"
          autocapitalize="characters" placeholder="K7M2Q9" [ngModel]="code()" (ngModelChange)="code.set($event)" aria-describedby="code-hint" />
        <p id="code-hint" class="hint">6 letras e números, sem 0, O, 1 ou I. Maiúsculas, minúsculas e espaços não importam.</p>
        <button type="submit" class="btn btn-primary" [disabled]="busy() !== null || !normalized() || !cinemaId()">
          {{ busy() === 'look-up' ? 'Consultando…' : 'Consultar código' }}
        </button>
      </form>

      <div data-testid="counter-result">
        <div role="status" aria-atomic="true">
          @switch (result()?.kind) {
            @case ('found') {
              <p class="summary" data-state="found">{{ remainingText() }}</p>
            }
            @case ('handed') {
              <section class="result ok" data-state="handed" aria-labelledby="result-title">
                <h2 id="result-title">Itens entregues</h2>
                <p>Entregue agora: {{ handedNow() }}.</p>
                <p>{{ remainingText() }}</p>
              </section>
            }
          }
        </div>
        <div role="alert" aria-atomic="true">
          @switch (result()?.kind) {
            @case ('already') {
              <section class="result bad" data-state="already" aria-labelledby="result-title">
                <h2 id="result-title">Itens já entregues</h2>
                <p>{{ alreadyText() }}</p>
              </section>
            }
            @case ('refused') {
              @if (refused(); as f) {
                <section class="result bad" [attr.data-state]="f.code" aria-labelledby="result-title">
                  <h2 id="result-title">{{ f.title }}</h2>
                  <p>{{ f.detail }}</p>
                </section>
              }
            }
            @case ('invalid') {
              <section class="result bad" data-state="invalid" aria-labelledby="result-title">
                <h2 id="result-title">Código inválido</h2>
                <p>O código de retirada tem 6 letras e números, sem 0, O, 1 ou I. Confira o código com o cliente.</p>
              </section>
            }
          }
        </div>
        @if (problem(); as m) {
          <app-notice [message]="m" />
        }
      </div>

      @if (pickup(); as p) {
        <section class="panel pickup" aria-labelledby="pickup-title" data-testid="counter-pickup">
          <h2 id="pickup-title" tabindex="-1">Código {{ p.code }}</h2>
          <p class="movie">{{ p.movieTitle }} · {{ p.startsAt | spShowtime }}</p>
          <ul role="list" class="lines">
            @for (l of p.lines; track l.index) {
              <li data-testid="pickup-line" [attr.data-index]="l.index">
                @if (l.redeemedAt) {
                  <div class="line done">
                    <span class="what"><strong>{{ lineName(l) }}</strong>
                      @if (lineDetail(l); as d) { <span class="detail">{{ d }}</span> }</span>
                    <span class="state" data-testid="line-state">Entregue {{ when(l.redeemedAt, l.redeemedBy) }}</span>
                  </div>
                } @else {
                  <label class="line pick">
                    <input type="checkbox" [checked]="isSelected(l.index)" [disabled]="busy() !== null"
                      (change)="select(l.index, $any($event.target).checked)" />
                    <span class="what"><strong>{{ lineName(l) }}</strong>
                      @if (lineDetail(l); as d) { <span class="detail">{{ d }}</span> }</span>
                    <span class="state">A entregar</span>
                  </label>
                }
              </li>
            }
          </ul>
          @if (p.remaining > 0) {
            <div class="actions">
              <button type="button" class="btn btn-primary" [disabled]="busy() !== null" (click)="handOver('all')">
                {{ busy() === 'all' ? 'Entregando…' : 'Entregar tudo' }}
              </button>
              <button type="button" class="btn btn-secondary" [disabled]="busy() !== null || !selected().length" (click)="handOver('selected')">
                {{ busy() === 'selected' ? 'Entregando…' : 'Entregar selecionados' }}
                @if (selected().length) { ({{ selected().length }}) }
              </button>
            </div>
          }
        </section>
      }
      @if (result()) {
        <button type="button" class="btn btn-secondary btn-block next" data-testid="next-code" (click)="next()">Próximo código</button>
      }
    }
  `,
  styles: `
    :host { display: block; max-width: 36rem; }
    h1 { margin: 0 0 var(--space-2); font-size: var(--text-xl); }
    .lead { margin: 0 0 var(--space-4); }
    .hint { margin: 0; color: var(--color-text-muted); font-size: var(--text-sm); }
    .counter { border: 0; margin: 0 0 var(--space-4); }
    .counter legend { padding: 0; font-weight: var(--weight-semibold); }
    .camera { display: grid; gap: var(--space-2); margin-bottom: var(--space-4); }
    .video { width: 100%; max-height: 50vh; background: #000; border-radius: var(--radius-md); }
    .panel { display: grid; gap: var(--space-2); padding: var(--space-4); margin-bottom: var(--space-4);
      background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    .code-input { min-height: var(--touch-target); padding: 0 var(--space-3); border: 1px solid var(--color-border);
      border-radius: var(--radius-md); font-family: var(--font-mono); font-size: var(--text-lg); letter-spacing: 0.15em;
      text-transform: uppercase; width: 100%; }
    .code-input::placeholder { text-transform: none; }
    .summary { margin: 0 0 var(--space-2); font-weight: var(--weight-semibold); }
    .result { padding: var(--space-4); margin-bottom: var(--space-4); border-radius: var(--radius-md); border: 2px solid; }
    .result h2 { margin: 0 0 var(--space-2); font-size: var(--text-xl); }
    .result p { margin: var(--space-1) 0 0; }
    .ok { border-color: var(--color-success); background: var(--color-success-bg); color: var(--color-success); }
    .bad { border-color: var(--color-danger); background: var(--color-danger-bg); color: var(--color-danger); }
    app-notice { display: block; margin-bottom: var(--space-4); }
    .pickup h2 { margin: 0; font-size: var(--text-lg); font-family: var(--font-mono); letter-spacing: 0.1em; }
    .pickup h2:focus { outline: none; }
    .movie { margin: 0; color: var(--color-text-muted); }
    .lines { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--space-2); }
    .line { display: grid; grid-template-columns: auto 1fr; align-items: center; gap: var(--space-1) var(--space-3);
      min-height: var(--touch-target); padding: var(--space-2) var(--space-3); border: 1px solid var(--color-border);
      border-radius: var(--radius-md); }
    .pick { cursor: pointer; }
    .pick input { width: 1.5rem; height: 1.5rem; margin: 0; grid-row: span 2; }
    .done { grid-template-columns: 1fr; background: var(--color-surface-sunken); }
    .what { display: flex; flex-direction: column; }
    .detail { color: var(--color-text-muted); font-size: var(--text-sm); }
    .state { grid-column: -2; font-size: var(--text-sm); color: var(--color-text-muted); }
    .done .state { color: var(--color-text); font-weight: var(--weight-semibold); }
    .actions { display: grid; gap: var(--space-2); margin-top: var(--space-2); }
    .next { margin-bottom: var(--space-4); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CounterPage {
  private readonly api = inject(API_CLIENT);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  protected readonly auth = inject(AuthService);
  protected readonly restricted: ProblemMessage = {
    kind: 'error',
    code: 'forbidden',
    title: 'Acesso restrito',
    detail: 'O balcão da bomboniere é só para a equipe dos cinemas.',
  };
  /** The back camera reading QR codes; its path shows only where the browser can both film and read them. */
  private readonly camera = new QrCamera('Não foi possível abrir a câmera. Digite o código.');
  protected readonly cameraSupported = this.camera.supported;

  private readonly chosen = signal(savedCinema());
  protected readonly cinemas = resource({
    params: () => (this.auth.isStaff() ? {} : undefined),
    loader: async () => unwrap(await this.api.GET('/cinemas')).items,
  });
  protected readonly cinemaList = computed(() => (this.cinemas.hasValue() ? this.cinemas.value() : []));
  /** The counter's cinema: the one chosen (for this tab) while it exists; none until one is. */
  protected readonly cinemaId = computed(() => (this.cinemaList().some((c) => c.id === this.chosen()) ? this.chosen() : ''));
  protected readonly cinemaPrompt = computed(() => {
    if (this.cinemas.error()) return 'Cinemas indisponíveis';
    return this.cinemas.hasValue() ? 'Escolha o cinema' : 'Carregando…';
  });

  protected readonly code = signal('');
  protected readonly normalized = computed(() => normalizePickupCode(this.code()));
  /** What is being done: looking a code up, or handing over all or the selected lines. */
  protected readonly busy = signal<'look-up' | 'all' | 'selected' | null>(null);
  protected readonly result = signal<CounterResult | null>(null);
  /** The pickup shown, as the server last answered it. */
  protected readonly pickup = signal<Pickup | null>(null);
  /** The indexes of the lines picked for "Entregar selecionados", in line order. */
  protected readonly selected = signal<number[]>([]);

  protected readonly refused = computed(() => {
    const r = this.result();
    return r?.kind === 'refused' ? r : null;
  });
  protected readonly problem = computed(() => {
    const r = this.result();
    return r?.kind === 'problem' ? r.message : null;
  });
  protected readonly remainingText = computed(() => {
    const p = this.pickup();
    if (!p) return '';
    if (p.remaining === 0) return 'Tudo deste código foi entregue.';
    const n = p.lines.length;
    return p.remaining === n
      ? `${n === 1 ? '1 item' : `${n} itens`} a entregar.`
      : `Falta entregar ${p.remaining} de ${n} itens.`;
  });
  protected readonly handedNow = computed(() => {
    const r = this.result();
    if (r?.kind !== 'handed') return '';
    return r.pickup.lines.filter((l) => r.handed.includes(l.index)).map(pickupLineName).join(', ');
  });
  protected readonly alreadyText = computed(() => {
    const r = this.result();
    if (r?.kind !== 'already') return '';
    const when = handedOverWhen(r.at, r.by);
    return `${when ? `Já entregue ${when}` : 'Os itens deste código já foram entregues'}. Não entregue de novo.`;
  });

  protected readonly lineName = pickupLineName;
  protected readonly lineDetail = pickupLineDetail;
  protected readonly when = (at?: string, by?: string) => handedOverWhen(at, by);

  protected readonly scanning = this.camera.scanning;
  protected readonly cameraProblem = this.camera.problem;
  private readonly video = viewChild<ElementRef<HTMLVideoElement>>('video');
  private readonly codeInput = viewChild<ElementRef<HTMLInputElement>>('codeInput');

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stopCamera());
  }

  protected chooseCinema(cinemaId: string): void {
    this.chosen.set(cinemaId);
    sessionStorage.setItem(COUNTER_KEY, JSON.stringify({ cinemaId }));
    // What was shown was read for the other cinema.
    this.clear();
  }

  protected isSelected(index: number): boolean {
    return this.selected().includes(index);
  }

  protected select(index: number, on: boolean): void {
    this.selected.update((s) => (on ? [...new Set([...s, index])].sort((a, b) => a - b) : s.filter((i) => i !== index)));
  }

  /** getPickup for the code typed (or scanned), at the counter's cinema. */
  protected async lookUp(): Promise<void> {
    const code = this.normalized();
    const cinemaId = this.cinemaId();
    if (!code || !cinemaId || this.busy()) return;
    this.clear();
    this.code.set(code);
    if (!PICKUP_CODE.test(code)) {
      this.result.set({ kind: 'invalid' });
      this.focusCode();
      return;
    }
    this.busy.set('look-up');
    try {
      const pickup = unwrap(await this.api.GET('/pickups/{code}', { params: { path: { code }, query: { cinemaId } } }));
      this.pickup.set(pickup);
      this.result.set(lookUpResult(pickup));
    } catch (err) {
      this.result.set(counterResult(err, 'look-up'));
    } finally {
      this.busy.set(null);
      this.focusResult();
    }
  }

  /**
   * redeemPickup: every line left ("Entregar tudo", no `lines`), or the
   * lines selected. When another counter was faster (409), the pickup is
   * read again so its lines show who handed what over.
   */
  protected async handOver(which: 'all' | 'selected'): Promise<void> {
    const before = this.pickup();
    const cinemaId = this.cinemaId();
    const lines = which === 'selected' ? this.selected() : undefined;
    if (!before || !cinemaId || this.busy() || (lines && !lines.length)) return;
    this.busy.set(which);
    this.result.set(null);
    const path = { code: before.code };
    try {
      const after = unwrap(await this.api.POST('/pickups/{code}/redemptions', { params: { path }, body: lines ? { cinemaId, lines } : { cinemaId } }));
      const handed = after.lines.filter((l) => l.redeemedAt && !before.lines.find((b) => b.index === l.index)?.redeemedAt).map((l) => l.index);
      this.pickup.set(after);
      this.selected.set([]);
      this.result.set({ kind: 'handed', pickup: after, handed });
    } catch (err) {
      const result = counterResult(err, 'hand-over');
      this.result.set(result);
      if (result.kind === 'already') {
        this.selected.set([]);
        this.pickup.set(await this.api.GET('/pickups/{code}', { params: { path, query: { cinemaId } } }).then(unwrap).catch(() => null));
      } else if (result.kind === 'refused') {
        // The order is no longer one to hand over here: nothing is left to pick.
        this.pickup.set(null);
        this.selected.set([]);
      }
    } finally {
      this.busy.set(null);
      this.focusResult();
    }
  }

  /** "Próximo código": an empty counter, ready to type. */
  protected next(): void {
    this.clear();
    this.code.set('');
    this.focusCode();
  }

  private clear(): void {
    this.result.set(null);
    this.pickup.set(null);
    this.selected.set([]);
  }

  /**
   * Where the counter goes on, with the result brought to the top of the
   * screen: the lines to pick after a look-up; "Próximo código" once handed
   * over (or already); the pickup again when handing over failed for another
   * reason; the code again, selected, with the refusal in sight below it,
   * when it was refused.
   */
  private focusResult(): void {
    const kind = this.result()?.kind;
    if (kind === 'found' || (kind === 'problem' && this.pickup())) return this.focusAfterRender('#pickup-title', 'start');
    if (kind === 'handed' || kind === 'already') return this.focusAfterRender('[data-testid="next-code"]', 'start');
    this.focusCode('nearest');
  }

  private focusCode(scroll?: ScrollLogicalPosition): void {
    this.focusAfterRender('#pickup-code', scroll);
    afterNextRender(() => this.codeInput()?.nativeElement.select(), { injector: this.injector });
  }

  private focusAfterRender(selector: string, scroll?: ScrollLogicalPosition): void {
    afterNextRender(() => {
      const host = this.host.nativeElement;
      if (scroll) host.querySelector('[data-testid="counter-result"]')?.scrollIntoView?.({ block: scroll });
      // Focus scrolls on only if the target is still out of sight.
      host.querySelector<HTMLElement>(selector)?.focus();
    }, { injector: this.injector });
  }

  protected startCamera(): Promise<void> {
    return this.camera.start(() => this.video()?.nativeElement, (raw) => PICKUP_CODE.test(normalizePickupCode(raw)), async (raw) => {
      this.code.set(normalizePickupCode(raw));
      await this.lookUp();
    });
  }

  protected stopCamera(): void {
    this.camera.stop();
  }

}
