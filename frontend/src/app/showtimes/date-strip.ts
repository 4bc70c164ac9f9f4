import { ChangeDetectionStrategy, Component, computed, input, model } from '@angular/core';
import { addDays, formatDayChip } from '../shared/locale/format';

/** The next days as chips: "Hoje", "Amanhã", then "seg. 30/11". */
@Component({
  selector: 'app-date-strip',
  template: `
    <div class="strip" role="group" aria-label="Dia da sessão">
      @for (d of days(); track d.day) {
        <button type="button" class="day" [attr.aria-pressed]="d.day === selected()" (click)="selected.set(d.day)">
          <span class="weekday">{{ d.weekday }}</span>
          <span class="date">{{ d.date }}</span>
        </button>
      }
    </div>
  `,
  styles: `
    .strip { display: flex; gap: var(--space-2); overflow-x: auto; padding: var(--space-1) 2px var(--space-2); }
    .day { flex: none; display: flex; flex-direction: column; align-items: center; min-width: 4rem; min-height: 3.25rem;
      padding: var(--space-1) var(--space-2); border: 1px solid var(--color-border); border-radius: var(--radius-md);
      background: var(--color-surface); color: var(--color-text); font: inherit; cursor: pointer; }
    .weekday { font-size: var(--text-xs); text-transform: capitalize; }
    .date { font-weight: var(--weight-bold); }
    .day[aria-pressed='true'] { background: var(--color-primary); border-color: var(--color-primary); color: var(--color-on-primary); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DateStrip {
  /** The first day (today in São Paulo), YYYY-MM-DD. */
  readonly from = input.required<string>();
  readonly count = input(7);
  readonly selected = model.required<string>();

  protected readonly days = computed(() =>
    Array.from({ length: this.count() }, (_, i) => {
      const day = addDays(this.from(), i);
      const chip = formatDayChip(day);
      const weekday = i === 0 ? 'Hoje' : i === 1 ? 'Amanhã' : chip.weekday.replace('.', '');
      return { day, weekday, date: chip.date };
    }),
  );
}
