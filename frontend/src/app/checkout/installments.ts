import { ChangeDetectionStrategy, Component, computed, input, model } from '@angular/core';
import type { Schemas } from '../api/api-client';
import { formatMoney } from '../shared/locale/format';

/** The most parcelas the contract accepts (CardPaymentRequest.installments). */
export const MAX_INSTALLMENTS = 3;

/** One way to split a card payment: n parcelas without interest. */
export interface InstallmentOption {
  count: number;
  /** "3x de R$ 15,50 sem juros", with the first parcela named when the centavos do not divide. */
  label: string;
}

/**
 * The parcelas a total may be split into, 1x to MAX_INSTALLMENTS, none with
 * interest: the cinema's price is the price. When the centavos do not divide,
 * the first parcela carries the rest, as the card's bill will show it.
 */
export function installmentOptions(total: Schemas['Money']): InstallmentOption[] {
  const out: InstallmentOption[] = [];
  for (let n = 1; n <= MAX_INSTALLMENTS; n++) {
    const each = Math.floor(total.amount / n);
    const rest = total.amount - each * n;
    let label = n === 1 ? `1x de ${formatMoney(total)}` : `${n}x de ${formatMoney({ ...total, amount: each })} sem juros`;
    if (rest > 0) label += ` (1ª de ${formatMoney({ ...total, amount: each + rest })})`;
    out.push({ count: n, label });
  }
  return out;
}

/** The "Parcelas" choice of a card payment, shown on both card forms. */
@Component({
  selector: 'app-installments',
  template: `
    @if (options().length > 1) {
      <label for="installments">Parcelas</label>
      <select id="installments" class="select" data-testid="installments"
        [value]="count()" (change)="count.set(+$any($event.target).value)">
        @for (o of options(); track o.count) {
          <option [value]="o.count" [selected]="o.count === count()">{{ o.label }}</option>
        }
      </select>
    }
  `,
  styles: `
    :host { display: grid; gap: var(--space-1); }
    :host:empty { display: none; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Installments {
  readonly total = input.required<Schemas['Money']>();
  readonly count = model(1);
  protected readonly options = computed(() => installmentOptions(this.total()));
}
