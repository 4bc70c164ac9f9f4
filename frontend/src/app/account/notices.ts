import { ChangeDetectionStrategy, Component, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { API_CLIENT, type Schemas, unwrap } from '../api/api-client';
import { type ProblemMessage, problemMessage } from '../api/problem-message';
import { formatTimeAndDate } from '../shared/locale/format';
import { Icon } from '../shared/ui/icon';
import { EmptyState, LoadingState, Notice } from '../shared/ui/page-states';
import { AuthService } from './auth.service';

/** What a notice is about, in a word for the inbox. */
export const NOTICE_KIND_LABELS: Record<Schemas['NoticeKind'], string> = {
  SHOWTIME_CANCELLED: 'Sessão cancelada',
  SHOWTIME_RESCHEDULED: 'Sessão remarcada',
  ORDER_VOIDED: 'Pedido estornado',
};

/** "1 aviso não lido", "3 avisos não lidos": the bell's accessible name. */
export function unreadLabel(n: number): string {
  if (n === 0) return 'Avisos, nenhum não lido';
  return `Avisos, ${n} ${n === 1 ? 'não lido' : 'não lidos'}`;
}

/**
 * The signed-in buyer's notices (listMyNotices): read when the buyer signs
 * in and again on demand, shared by the header's bell, the inbox and the
 * banner on an affected order.
 */
@Injectable({ providedIn: 'root' })
export class NoticesStore {
  private readonly api = inject(API_CLIENT);
  private readonly auth = inject(AuthService);
  readonly items = signal<Schemas['Notice'][]>([]);
  readonly unread = signal(0);
  readonly loaded = signal(false);
  readonly error = signal<ProblemMessage | null>(null);

  constructor() {
    effect(() => {
      const who = this.auth.me()?.sub;
      untracked(() => (who ? void this.load() : this.reset()));
    });
  }

  /** The notices of a showtime, for the banner on its order. */
  forShowtime(showtimeId: string): Schemas['Notice'][] {
    return this.items().filter((n) => n.showtimeId === showtimeId);
  }

  private inflight: Promise<void> | null = null;

  /** Reads the notices again; a read already under way is shared, not repeated. */
  load(): Promise<void> {
    this.inflight ??= (async () => {
      try {
        this.apply(unwrap(await this.api.GET('/me/notices')));
      } catch (err) {
        this.error.set(problemMessage(err, 'carregar seus avisos'));
      } finally {
        this.loaded.set(true);
        this.inflight = null;
      }
    })();
    return this.inflight;
  }

  /** Marks every notice read (markNoticesRead without ids). */
  async markAllRead(): Promise<void> {
    if (this.unread() === 0) return;
    try {
      this.apply(unwrap(await this.api.POST('/me/notices/read', { body: {} })));
    } catch (err) {
      this.error.set(problemMessage(err, 'marcar seus avisos como lidos'));
    }
  }

  private apply(list: Schemas['NoticeList']): void {
    this.items.set(list.items);
    this.unread.set(list.unread);
    this.error.set(null);
  }

  private reset(): void {
    this.items.set([]);
    this.unread.set(0);
    this.loaded.set(false);
    this.error.set(null);
  }
}

/** The header's bell: a link to the inbox with the unread count. */
@Component({
  selector: 'app-notice-bell',
  imports: [RouterLink, Icon],
  template: `
    <a routerLink="/conta/avisos" class="bell" data-testid="notice-bell" [attr.aria-label]="label()">
      <app-icon name="bell" />
      @if (store.unread() > 0) {
        <span class="count" aria-hidden="true" data-testid="notice-count">{{ store.unread() }}</span>
      }
    </a>
  `,
  styles: `
    .bell { position: relative; display: inline-flex; align-items: center; justify-content: center; min-width: 44px; min-height: 44px; }
    .count { position: absolute; top: 4px; right: 2px; min-width: 1.25rem; padding: 0 4px; border-radius: 999px;
      background: var(--color-danger); color: #fff; font-size: 0.75rem; font-weight: var(--weight-bold); line-height: 1.25rem; text-align: center; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NoticeBell {
  protected readonly store = inject(NoticesStore);
  protected readonly label = computed(() => unreadLabel(this.store.unread()));
}

/**
 * Avisos (/conta/avisos): what the cinema told the buyer, newest first. The
 * ones unread when the page opened say "Novo"; opening the inbox marks them
 * all read.
 */
@Component({
  selector: 'app-notices-page',
  imports: [RouterLink, LoadingState, Notice, EmptyState],
  template: `
    <h1>Avisos</h1>
    @if (store.error(); as e) {
      <app-notice [message]="e" [retryable]="true" (retry)="open()" />
    } @else if (!store.loaded()) {
      <app-loading-state label="Carregando seus avisos…" [count]="2" />
    } @else if (store.items().length === 0) {
      <app-empty-state message="Nenhum aviso por enquanto. Se uma sessão sua mudar, você fica sabendo aqui." />
    } @else {
      <ul class="notices" role="list" data-testid="notices">
        @for (n of store.items(); track n.id) {
          <li class="notice" [class.new]="fresh().has(n.id)" data-testid="notice">
            <p class="kind">{{ kind(n) }} @if (fresh().has(n.id)) { <span class="tag">Novo</span> }</p>
            <p class="message">{{ n.message }}</p>
            <p class="when">{{ when(n) }}</p>
          </li>
        }
      </ul>
      <p><a routerLink="/conta/pedidos">Ver meus pedidos</a></p>
    }
  `,
  styles: `
    :host { display: block; }
    h1 { margin: 0 0 var(--space-3); font-size: var(--text-xl); }
    .notices { list-style: none; margin: 0 0 var(--space-4); padding: 0; display: grid; gap: var(--space-3); }
    .notice { padding: var(--space-4); background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    .notice.new { border-left: 4px solid var(--color-primary); }
    .notice p { margin: 0; }
    .kind { font-weight: var(--weight-bold); display: flex; gap: var(--space-2); align-items: center; }
    .tag { font-size: var(--text-sm); padding: 0 var(--space-2); border-radius: 999px; background: var(--color-primary); color: var(--color-on-primary, #fff); }
    .message { margin-top: var(--space-2) !important; }
    .when { margin-top: var(--space-2) !important; color: var(--color-text-muted); font-size: var(--text-sm); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NoticesPage {
  protected readonly store = inject(NoticesStore);
  /** The notices unread when the inbox opened: still marked "Novo" after they are marked read. */
  protected readonly fresh = signal(new Set<string>());

  constructor() {
    void this.open();
  }

  protected async open(): Promise<void> {
    this.keepFresh();
    await this.store.load();
    this.keepFresh();
    await this.store.markAllRead();
  }

  /** Adds the notices unread now to the ones shown as new (the list may already be there from the bell). */
  private keepFresh(): void {
    const unread = this.store.items().filter((n) => !n.readAt).map((n) => n.id);
    if (unread.length) this.fresh.update((s) => new Set([...s, ...unread]));
  }

  protected kind(n: Schemas['Notice']): string {
    return NOTICE_KIND_LABELS[n.kind] ?? n.kind;
  }

  protected when(n: Schemas['Notice']): string {
    return formatTimeAndDate(n.at);
  }
}
