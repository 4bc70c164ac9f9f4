import { ChangeDetectionStrategy, Component, DestroyRef, computed, effect, inject, input, output, signal } from '@angular/core';
import { formatCountdown, speakCountdown } from '../locale/format';
import { Icon } from './icon';

/** Minutes left at which the countdown speaks up and turns amber. */
const ANNOUNCE_AT_MS = [5 * 60_000, 2 * 60_000, 60_000];
const WARNING_BELOW_MS = 2 * 60_000;

/**
 * The hold countdown shown on every step after the seats are held. It ticks
 * every second, tells screen readers at 5, 2 and 1 minute left (not every
 * second), and emits `expired` once when the time is up.
 */
@Component({
  selector: 'app-countdown',
  imports: [Icon],
  template: `
    <div class="countdown" [class.warning]="warning()" [class.over]="leftMs() === 0">
      <app-icon name="clock" />
      <span>{{ label() }}</span>
      <span class="time" role="timer" [attr.aria-label]="spoken()">{{ display() }}</span>
    </div>
    <span class="visually-hidden" aria-live="polite">{{ announcement() }}</span>
  `,
  styles: `
    .countdown { display: flex; align-items: center; gap: var(--space-2); padding: var(--space-2) var(--space-3);
      border-radius: var(--radius-md); background: var(--color-info-bg); color: var(--color-on-info); }
    .warning { background: var(--color-warning-bg); color: var(--color-on-warning); }
    .over { background: var(--color-danger-bg); color: var(--color-danger); }
    .time { margin-left: auto; font-family: var(--font-mono); font-size: var(--text-lg); font-weight: var(--weight-bold); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Countdown {
  /** When the hold expires (RFC 3339). */
  readonly expiresAt = input.required<string>();
  readonly label = input('Seus assentos estão reservados por');
  readonly expired = output<void>();

  private readonly now = signal(Date.now());
  protected readonly leftMs = computed(() => Math.max(0, Date.parse(this.expiresAt()) - this.now()));
  protected readonly display = computed(() => formatCountdown(this.leftMs()));
  protected readonly spoken = computed(() => `Tempo restante: ${speakCountdown(this.leftMs())}`);
  protected readonly warning = computed(() => this.leftMs() > 0 && this.leftMs() <= WARNING_BELOW_MS);
  protected readonly announcement = signal('');

  constructor() {
    const timer = setInterval(() => this.now.set(Date.now()), 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));

    let announced = new Set<number>();
    let fired = false;
    effect(() => {
      const left = this.leftMs();
      this.expiresAt(); // a new hold starts over
      for (const at of ANNOUNCE_AT_MS) {
        if (left <= at && left > at - 1000 && !announced.has(at)) {
          announced.add(at);
          this.announcement.set(`Faltam ${speakCountdown(at)} para sua reserva expirar.`);
        }
      }
      if (left === 0 && !fired) {
        fired = true;
        this.announcement.set('Sua reserva expirou.');
        this.expired.emit();
      }
      if (left > 0 && fired) {
        fired = false;
        announced = new Set();
      }
    });
  }
}
