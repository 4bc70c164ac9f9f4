import { ChangeDetectionStrategy, Component, Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router } from '@angular/router';
import { filter } from 'rxjs';

/**
 * A sentence for the page the buyer is sent to next ("Sua conta foi
 * excluída."): shown by the shell's <app-flash> from the moment it is set,
 * through the navigation that follows, until the buyer navigates again or
 * closes it.
 */
@Injectable({ providedIn: 'root' })
export class FlashMessage {
  readonly text = signal<string | null>(null);
  /** The next navigation is the one the message is for: it keeps it. */
  private keepThroughNext = false;

  constructor() {
    inject(Router)
      .events.pipe(
        filter((e) => e instanceof NavigationEnd),
        takeUntilDestroyed(),
      )
      .subscribe(() => {
        if (this.keepThroughNext) this.keepThroughNext = false;
        else this.text.set(null);
      });
  }

  /** Shows `text` now and on the page the next navigation leads to. */
  show(text: string): void {
    this.text.set(text);
    this.keepThroughNext = true;
  }

  clear(): void {
    this.text.set(null);
    this.keepThroughNext = false;
  }
}

/** The shell's flash message: a polite live region that is always there, so what lands in it is announced. */
@Component({
  selector: 'app-flash',
  template: `
    <div role="status" data-testid="flash">
      @if (flash.text(); as text) {
        <div class="flash">
          <p>{{ text }}</p>
          <button type="button" class="link-button" (click)="flash.clear()">Fechar<span class="visually-hidden"> aviso</span></button>
        </div>
      }
    </div>
  `,
  styles: `
    .flash { display: flex; flex-wrap: wrap; align-items: center; justify-content: center; gap: var(--space-1) var(--space-3);
      padding: var(--space-2) var(--space-4); background: var(--color-success-bg); color: var(--color-success); font-weight: var(--weight-semibold); }
    p { margin: 0; }
    .link-button { background: none; border: 0; padding: 0; font: inherit; color: inherit; text-decoration: underline; cursor: pointer;
      min-height: var(--touch-target); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Flash {
  protected readonly flash = inject(FlashMessage);
}
