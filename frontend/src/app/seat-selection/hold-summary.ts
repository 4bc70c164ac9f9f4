import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { Schemas } from '../api/api-client';
import { OrderSummary, type SummaryLine } from '../checkout/order-summary';
import { formatMoney } from '../shared/locale/format';
import { seatTypeLabel } from './seat-rules';
import { TICKET_TYPES } from './ticket-type-labels';

/** The held seats as summary lines: the server's price per seat, its ticket type and any seat surcharge. */
export function holdLines(hold: Schemas['Hold']): SummaryLine[] {
  return hold.seats.map((s) => ({
    label: `Assento ${s.seatId}`,
    detail:
      TICKET_TYPES[s.ticketType].label +
      (s.surcharge.amount > 0 ? ` + adicional ${seatTypeLabel(s.seatType)} ${formatMoney(s.surcharge)}` : ''),
    amount: s.price,
  }));
}

/** A hold's seats, the server-computed total, and its warnings (an isolated seat left empty). */
@Component({
  selector: 'app-hold-summary',
  imports: [OrderSummary],
  template: `
    <app-order-summary [heading]="heading()" [lines]="lines()" [total]="hold().total" />
    @for (w of hold().warnings; track w.code + w.seats.join()) {
      <p class="warning" data-testid="hold-warning" [attr.data-code]="w.code">
        <strong>Atenção:</strong> {{ w.message }}
      </p>
    }
    @if (hold().meiaCount > 0) {
      <p class="hint">Leve o comprovante da meia-entrada: ele é pedido na entrada da sala.</p>
    }
  `,
  styles: `
    :host { display: block; }
    .warning { margin: var(--space-3) 0 0; padding: var(--space-3); border-radius: var(--radius-md);
      background: var(--color-warning-bg); color: var(--color-on-warning); }
    .hint { margin: var(--space-2) 0 0; color: var(--color-text-muted); font-size: var(--text-sm); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HoldSummary {
  readonly hold = input.required<Schemas['Hold']>();
  readonly heading = input('Sua reserva');
  protected readonly lines = computed(() => holdLines(this.hold()));
}
