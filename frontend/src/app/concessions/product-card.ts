import { ChangeDetectionStrategy, Component, computed, input, linkedSignal, output } from '@angular/core';
import type { Schemas } from '../api/api-client';
import { BrlPipe } from '../shared/locale/pipes';
import type { FlavourSlot } from './cart-store';

export interface ProductChoice {
  productId: string;
  size: string;
  flavours: string[];
  quantity: number;
}

let nextId = 0;

/** A bomboniere product or combo: sizes, flavours, price, combo savings, and "Adicionar". */
@Component({
  selector: 'app-product-card',
  imports: [BrlPipe],
  template: `
    <article class="card" [attr.aria-labelledby]="id + '-name'">
      <header>
        <h3 [id]="id + '-name'">{{ product().name }}</h3>
        <p class="price">{{ price() | brl }}</p>
      </header>
      <p class="description">{{ product().description }}</p>
      @if (product().combo; as combo) {
        <p class="savings">Economize {{ combo.savings | brl }}</p>
      }
      @if (product().serves > 1) {
        <p class="serves">Serve {{ product().serves }} pessoas</p>
      }
      @if (product().sizes.length > 1) {
        <fieldset>
          <legend>Tamanho</legend>
          @for (s of product().sizes; track s.code) {
            <label class="size">
              <input type="radio" [name]="id + '-size'" [value]="s.code" [checked]="s.code === size()" (change)="size.set(s.code)" />
              {{ s.label }}
            </label>
          }
        </fieldset>
      }
      @for (slot of slots(); track $index; let i = $index) {
        <label class="flavour">
          <span>{{ slot.label }}</span>
          <select class="select" [value]="flavours()[i]" (change)="pick(i, $any($event.target).value)">
            @for (o of slot.options; track o) {
              <option [value]="o" [selected]="o === flavours()[i]">{{ o }}</option>
            }
          </select>
        </label>
      }
      <button type="button" class="btn btn-secondary"
        (click)="add.emit({ productId: product().id, size: size(), flavours: flavours(), quantity: 1 })">
        Adicionar <span class="visually-hidden">{{ product().name }}</span>
      </button>
    </article>
  `,
  styles: `
    .card { display: flex; flex-direction: column; gap: var(--space-2); padding: var(--space-4); background: var(--color-surface);
      border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    header { display: flex; justify-content: space-between; gap: var(--space-2); }
    h3 { margin: 0; font-size: var(--text-lg); }
    .price { margin: 0; font-weight: var(--weight-bold); white-space: nowrap; }
    .description, .serves { margin: 0; color: var(--color-text-muted); font-size: var(--text-sm); }
    .savings { align-self: start; margin: 0; padding: var(--space-1) var(--space-2); border-radius: var(--radius-pill);
      background: var(--color-accent); color: var(--color-on-accent); font-weight: var(--weight-bold); font-size: var(--text-sm); }
    fieldset { display: flex; gap: var(--space-3); border: 0; margin: 0; padding: 0; }
    legend { font-size: var(--text-sm); margin-bottom: var(--space-1); }
    .size { display: flex; align-items: center; gap: var(--space-1); min-height: var(--touch-target); }
    .flavour { display: grid; gap: var(--space-1); font-size: var(--text-sm); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProductCard {
  readonly product = input.required<Schemas['Product']>();
  /** The flavour choices it takes (see flavourSlots); none by default. */
  readonly slots = input<FlavourSlot[]>([]);
  readonly add = output<ProductChoice>();
  protected readonly id = `product-${nextId++}`;
  /** The picked size: the middle one by default (M of P/M/G). */
  protected readonly size = linkedSignal(() => {
    const sizes = this.product().sizes;
    return sizes[Math.floor((sizes.length - 1) / 2)].code;
  });
  /** One flavour per slot, the first option until the buyer picks. */
  protected readonly flavours = linkedSignal(() => this.slots().map((s) => s.options[0]));
  protected readonly price = computed(
    () => this.product().sizes.find((s) => s.code === this.size())?.price ?? this.product().sizes[0].price,
  );

  protected pick(slot: number, flavour: string): void {
    this.flavours.update((f) => f.map((x, i) => (i === slot ? flavour : x)));
  }
}
