import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Schemas } from '../api/api-client';
import { formatShowtimeStart, formatVersion } from '../shared/locale/format';
import { SpTimePipe } from '../shared/locale/pipes';

/** A row of start times; each chip opens the showtime's seat map. */
@Component({
  selector: 'app-showtime-chips',
  imports: [RouterLink, SpTimePipe],
  template: `
    <ul class="chips" role="list">
      @for (s of showtimes(); track s.id) {
        <li>
          <a class="chip" [routerLink]="['/sessoes', s.id, 'assentos']" [attr.aria-label]="label(s)">{{ s.startsAt | spTime }}</a>
        </li>
      }
    </ul>
  `,
  styles: `
    .chips { display: flex; flex-wrap: wrap; gap: var(--space-2); list-style: none; margin: 0; padding: 0; }
    .chip { display: inline-grid; place-items: center; min-width: 4.5rem; min-height: var(--touch-target);
      padding: 0 var(--space-3); border: 1px solid var(--color-border); border-radius: var(--radius-pill);
      background: var(--color-surface); color: var(--color-text); font-weight: var(--weight-semibold);
      text-decoration: none; font-variant-numeric: tabular-nums; }
    .chip:hover { border-color: var(--color-primary); color: var(--color-primary); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShowtimeChips {
  readonly showtimes = input.required<Schemas['Showtime'][]>();

  protected label(s: Schemas['Showtime']): string {
    return `${formatShowtimeStart(s.startsAt)}, ${s.roomName}, ${formatVersion(s.format, s.language)}: escolher assentos`;
  }
}
