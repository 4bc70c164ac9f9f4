import { Injectable, computed, signal } from '@angular/core';
import type { Schemas } from '../api/api-client';

/** The contract's limits on bomboniere lines (CreateOrderRequest). */
export const MAX_QUANTITY = 20;
export const MAX_LINES = 20;

/**
 * A bomboniere line the buyer picked. Name, size label and unit price are a
 * snapshot of the menu for display and the running estimate; createOrder
 * sends only product, size, flavours and quantity, and the server prices it.
 */
export interface CartLine {
  productId: string;
  name: string;
  size: string;
  sizeLabel: string;
  flavours: string[];
  quantity: number;
  unitPrice: Schemas['Money'];
}

/** One flavour choice of a product: "Sabor", or "Refrigerante 2" in a combo with two sodas. */
export interface FlavourSlot {
  label: string;
  options: string[];
}

interface SavedCart {
  holdId: string;
  lines: CartLine[];
}

const KEY = 'bilhetagem.cart';

/**
 * The flavours a product takes: one choice for a flavoured product, and for
 * a combo one per unit of each flavoured item (a combo with two sodas takes
 * two), as the server checks them.
 */
export function flavourSlots(product: Schemas['Product'], menu: readonly Schemas['Product'][]): FlavourSlot[] {
  if (!product.combo) return product.flavours.length ? [{ label: 'Sabor', options: product.flavours }] : [];
  const slots: FlavourSlot[] = [];
  for (const item of product.combo.items) {
    const p = menu.find((m) => m.id === item.productId);
    if (!p || p.flavours.length === 0) continue;
    for (let i = 1; i <= item.quantity; i++) {
      slots.push({ label: item.quantity > 1 ? `${p.name} ${i}` : p.name, options: p.flavours });
    }
  }
  return slots;
}

/** A line for `product` in `size` with the first flavour of each slot. */
export function lineFor(
  product: Schemas['Product'],
  menu: readonly Schemas['Product'][],
  size: string,
  quantity = 1,
  flavours?: string[],
): CartLine {
  const s = product.sizes.find((x) => x.code === size) ?? product.sizes[0];
  return {
    productId: product.id,
    name: product.name,
    size: s.code,
    sizeLabel: s.label,
    flavours: flavours ?? flavourSlots(product, menu).map((slot) => slot.options[0]),
    quantity: clampQuantity(quantity),
    unitPrice: s.price,
  };
}

export function clampQuantity(n: number): number {
  return Math.min(MAX_QUANTITY, Math.max(1, Math.trunc(n) || 1));
}

function sameChoice(a: CartLine, b: CartLine): boolean {
  return a.productId === b.productId && a.size === b.size && a.flavours.join('\u0000') === b.flavours.join('\u0000');
}

/**
 * The bomboniere cart of the hold in this tab, kept in sessionStorage beside
 * the hold id so the pagamento step and a reload see the same lines. A cart
 * saved for another hold is dropped.
 */
@Injectable({ providedIn: 'root' })
export class CartStore {
  readonly holdId = signal<string | null>(null);
  readonly lines = signal<CartLine[]>([]);

  /** Items (units) in the cart. */
  readonly count = computed(() => this.lines().reduce((n, l) => n + l.quantity, 0));
  /** The menu-price estimate shown while choosing; the order's total is the server's. */
  readonly estimate = computed<Schemas['Money']>(() => ({
    amount: this.lines().reduce((sum, l) => sum + l.unitPrice.amount * l.quantity, 0),
    currency: 'BRL',
  }));
  /** The distinct products chosen, for listHoldRecommendations' `selected`. */
  readonly productIds = computed(() => [...new Set(this.lines().map((l) => l.productId))].sort(), {
    equal: (a, b) => a.join() === b.join(),
  });

  /** Starts on the cart of `holdId` (empty when this tab saved another hold's). */
  open(holdId: string): void {
    if (this.holdId() === holdId) return;
    let lines: CartLine[] = [];
    try {
      const saved = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as SavedCart | null;
      if (saved && saved.holdId === holdId && Array.isArray(saved.lines)) lines = saved.lines.filter(validLine);
    } catch {
      lines = [];
    }
    this.holdId.set(holdId);
    this.lines.set(lines);
  }

  /** Adds a line, or more of the same choice; false when the cart already has the maximum of lines. */
  add(line: CartLine): boolean {
    const lines = this.lines();
    const i = lines.findIndex((l) => sameChoice(l, line));
    if (i >= 0) {
      this.setQuantity(i, lines[i].quantity + line.quantity);
      return true;
    }
    if (lines.length >= MAX_LINES) return false;
    this.save([...lines, { ...line, quantity: clampQuantity(line.quantity) }]);
    return true;
  }

  setQuantity(index: number, quantity: number): void {
    this.save(this.lines().map((l, i) => (i === index ? { ...l, quantity: clampQuantity(quantity) } : l)));
  }

  setFlavour(index: number, slot: number, flavour: string): void {
    this.save(
      this.lines().map((l, i) => (i === index ? { ...l, flavours: l.flavours.map((f, j) => (j === slot ? flavour : f)) } : l)),
    );
  }

  remove(index: number): void {
    this.save(this.lines().filter((_, i) => i !== index));
  }

  /** A combo suggested in place of products already chosen: those lines go, the combo comes in. */
  replace(productIds: readonly string[], line: CartLine): void {
    const kept = this.lines().filter((l) => !productIds.includes(l.productId));
    this.save(kept);
    this.add(line);
  }

  /** createOrder's `concessions`: no names, no prices. */
  request(): Schemas['ConcessionLineRequest'][] {
    return this.lines().map((l) => ({
      productId: l.productId,
      size: l.size,
      quantity: l.quantity,
      ...(l.flavours.length ? { flavours: [...l.flavours] } : {}),
    }));
  }

  clear(): void {
    this.holdId.set(null);
    this.lines.set([]);
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // storage off
    }
  }

  private save(lines: CartLine[]): void {
    this.lines.set(lines);
    const holdId = this.holdId();
    if (!holdId) return;
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ holdId, lines } satisfies SavedCart));
    } catch {
      // storage off: the cart lasts as long as the page
    }
  }
}

function validLine(l: CartLine): boolean {
  return (
    !!l &&
    typeof l.productId === 'string' &&
    typeof l.size === 'string' &&
    Array.isArray(l.flavours) &&
    Number.isInteger(l.quantity) &&
    l.quantity >= 1 &&
    l.quantity <= MAX_QUANTITY &&
    typeof l.unitPrice?.amount === 'number'
  );
}
