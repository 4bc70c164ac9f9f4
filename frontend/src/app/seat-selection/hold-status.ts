import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { Router } from '@angular/router';
import type { Schemas } from '../api/api-client';
import { type ProblemMessage, problemMessage } from '../api/problem-message';
import { Countdown } from '../shared/ui/countdown';
import { Notice } from '../shared/ui/page-states';
import { HoldStore } from './hold-store';

/**
 * The hold's countdown and "Liberar assentos", shown on every step once the
 * seats are held. When the time is up, or the seats are released, the buyer
 * goes back to the seat map of the showtime.
 */
@Component({
  selector: 'app-hold-status',
  imports: [Countdown, Notice],
  template: `
    <div class="hold-status">
      <app-countdown [expiresAt]="hold().expiresAt" (expired)="expired()" />
      <button type="button" class="btn btn-secondary" [disabled]="releasing()" (click)="release()">
        {{ releasing() ? 'Liberando…' : 'Liberar assentos' }}
      </button>
    </div>
    @if (problem(); as p) {
      <app-notice [message]="p" />
    }
  `,
  styles: `
    :host { display: block; }
    .hold-status { display: grid; gap: var(--space-2); }
    @media (min-width: 40rem) { .hold-status { grid-template-columns: 1fr auto; align-items: center; } }
    app-notice { display: block; margin-top: var(--space-2); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HoldStatus {
  readonly hold = input.required<Schemas['Hold']>();
  /** Stay on the page after a release (the seat page); later steps go back to the map. */
  readonly stay = input(false);

  private readonly store = inject(HoldStore);
  private readonly router = inject(Router);
  protected readonly releasing = signal(false);
  protected readonly problem = signal<ProblemMessage | null>(null);

  protected expired(): void {
    const showtimeId = this.hold().showtimeId;
    this.store.expire();
    if (!this.stay()) void this.router.navigate(['/sessoes', showtimeId, 'assentos']);
  }

  protected async release(): Promise<void> {
    const showtimeId = this.hold().showtimeId;
    this.releasing.set(true);
    this.problem.set(null);
    try {
      await this.store.release();
      if (!this.stay()) await this.router.navigate(['/sessoes', showtimeId, 'assentos']);
    } catch (err) {
      this.problem.set(problemMessage(err, 'liberar os assentos'));
    } finally {
      this.releasing.set(false);
    }
  }
}
