import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import type { ProblemMessage } from '../../api/problem-message';
import { Icon } from './icon';

/** Skeleton blocks while something loads; announced once to screen readers. */
@Component({
  selector: 'app-loading-state',
  template: `
    <div class="loading" aria-busy="true">
      <span class="visually-hidden" role="status">{{ label() }}</span>
      @for (i of blocks(); track i) {
        <div class="skeleton" aria-hidden="true"></div>
      }
    </div>
  `,
  styles: `
    .loading { display: grid; gap: var(--space-3); grid-template-columns: repeat(auto-fill, minmax(9rem, 1fr)); }
    .skeleton { height: 8rem; border-radius: var(--radius-md); background: var(--color-surface-sunken); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoadingState {
  readonly label = input('Carregando…');
  readonly count = input(4);
  protected blocks() {
    return Array.from({ length: this.count() }, (_, i) => i);
  }
}

/** Nothing to show: one sentence and, optionally, projected actions. */
@Component({
  selector: 'app-empty-state',
  template: `
    <div class="empty">
      <p>{{ message() }}</p>
      <ng-content />
    </div>
  `,
  styles: `
    .empty { padding: var(--space-5); text-align: center; color: var(--color-text-muted);
      border: 1px dashed var(--color-border); border-radius: var(--radius-md); background: var(--color-surface); }
    p { margin: 0 0 var(--space-3); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EmptyState {
  readonly message = input.required<string>();
}

/**
 * A message box: `error` panels are alerts with an optional retry; `info`
 * notices tell what is not available yet.
 */
@Component({
  selector: 'app-notice',
  imports: [Icon],
  template: `
    <div class="notice" [class.error]="message().kind === 'error'" role="alert" [attr.data-code]="message().code">
      <p class="title"><app-icon [name]="message().kind === 'error' ? 'warning' : 'info'" /> {{ message().title }}</p>
      <p class="detail">{{ message().detail }}</p>
      @if (retryable()) {
        <button type="button" class="btn btn-secondary" (click)="retry.emit()">Tentar de novo</button>
      }
      <ng-content />
    </div>
  `,
  styles: `
    .notice { padding: var(--space-4); border-radius: var(--radius-md); border: 1px solid var(--color-on-info);
      background: var(--color-info-bg); color: var(--color-on-info); }
    .notice.error { border-color: var(--color-danger); background: var(--color-danger-bg); color: var(--color-danger); }
    .title { margin: 0; font-weight: var(--weight-bold); }
    .detail { margin: var(--space-1) 0 0; }
    button { margin-top: var(--space-3); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Notice {
  readonly message = input.required<ProblemMessage>();
  readonly retryable = input(false);
  readonly retry = output<void>();
}
