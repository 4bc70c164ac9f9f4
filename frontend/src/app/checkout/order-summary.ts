import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { Schemas } from '../api/api-client';
import { TICKET_TYPES } from '../seat-selection/ticket-type-labels';
import { BrlPipe } from '../shared/locale/pipes';

export interface SummaryLine {
  label: string;
  detail?: string;
  amount: Schemas['Money'];
}

/** The order's lines for the summary: one per ticket, one per bomboniere line, the convenience fee. */
export function orderLines(order: Schemas['Order']): SummaryLine[] {
  return [
    ...order.tickets.map((t) => ({
      label: `Assento ${t.seatId}`,
      detail: TICKET_TYPES[t.ticketType as keyof typeof TICKET_TYPES]?.label ?? t.ticketType,
      amount: t.price,
    })),
    ...order.concessions.map((c) => ({ label: `${c.quantity}× ${c.name}`, detail: concessionDetail(c), amount: c.total })),
    { label: 'Taxa de conveniência', amount: order.totals.convenienceFee },
  ];
}

/** A bomboniere line's size and flavours ("G · Manteiga"); "UN" (single size) says nothing to a buyer, P/M/G do. */
export function concessionDetail(c: Schemas['OrderConcession']): string | undefined {
  return [c.size === 'UN' ? '' : c.size, ...c.flavours].filter(Boolean).join(' · ') || undefined;
}

/** A bomboniere line in one phrase: "1× Combo Casal (Cola · Guaraná)". */
export function concessionText(c: Schemas['OrderConcession']): string {
  const detail = concessionDetail(c);
  return `${c.quantity}× ${c.name}${detail ? ` (${detail})` : ''}`;
}

let nextId = 0;

/** The order's lines and total, as the server priced them. */
@Component({
  selector: 'app-order-summary',
  imports: [BrlPipe],
  template: `
    <section class="summary" [attr.aria-labelledby]="id">
      <h2 [id]="id">{{ heading() }}</h2>
      <dl>
        @for (line of lines(); track $index) {
          <div class="line">
            <dt>{{ line.label }} @if (line.detail) { <span class="detail">{{ line.detail }}</span> }</dt>
            <dd>{{ line.amount | brl }}</dd>
          </div>
        }
        <div class="line total">
          <dt>Total</dt>
          <dd>{{ total() | brl }}</dd>
        </div>
      </dl>
    </section>
  `,
  styles: `
    .summary { padding: var(--space-4); background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    h2 { margin: 0 0 var(--space-3); font-size: var(--text-lg); }
    dl { margin: 0; }
    .line { display: flex; justify-content: space-between; gap: var(--space-3); padding: var(--space-2) 0;
      border-bottom: 1px solid var(--color-border-subtle); }
    dt { display: flex; flex-direction: column; }
    dd { margin: 0; white-space: nowrap; font-variant-numeric: tabular-nums; }
    .detail { color: var(--color-text-muted); font-size: var(--text-sm); }
    .total { border-bottom: 0; font-weight: var(--weight-bold); font-size: var(--text-lg); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OrderSummary {
  readonly heading = input('Resumo do pedido');
  protected readonly id = `summary-title-${nextId++}`;
  readonly lines = input.required<SummaryLine[]>();
  /** The server's total; the sum of the lines when not given. */
  readonly serverTotal = input<Schemas['Money'] | undefined>(undefined, { alias: 'total' });
  protected readonly total = computed<Schemas['Money']>(
    () => this.serverTotal() ?? { amount: this.lines().reduce((sum, l) => sum + l.amount.amount, 0), currency: 'BRL' },
  );
}
