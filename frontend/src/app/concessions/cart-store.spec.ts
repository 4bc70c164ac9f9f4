import { TestBed } from '@angular/core/testing';
import type { Schemas } from '../api/api-client';
import { CartStore, MAX_LINES, flavourSlots, lineFor } from './cart-store';

const brl = (amount: number): Schemas['Money'] => ({ amount, currency: 'BRL' });

const MENU: Schemas['Product'][] = [
  { id: 'prd-pipoca-salgada', name: 'Pipoca Salgada', description: 'Na hora', category: 'PIPOCA', flavours: [], serves: 1,
    sizes: [{ code: 'P', label: 'Pequena', price: brl(1900) }, { code: 'M', label: 'Média', price: brl(2100) }, { code: 'G', label: 'Grande', price: brl(2300) }] },
  { id: 'prd-refrigerante', name: 'Refrigerante', description: 'Com gelo', category: 'BEBIDA', flavours: ['Cola', 'Guaraná'], serves: 1,
    sizes: [{ code: 'M', label: '500 ml', price: brl(1600) }] },
  { id: 'prd-combo-casal', name: 'Combo Casal', description: 'Pipoca G e 2 refrigerantes', category: 'COMBO', flavours: [], serves: 2,
    sizes: [{ code: 'UN', label: 'Único', price: brl(4800) }],
    combo: { items: [{ productId: 'prd-pipoca-salgada', size: 'G', quantity: 1 }, { productId: 'prd-refrigerante', size: 'M', quantity: 2 }],
      savings: brl(700) } },
];

describe('bomboniere cart', () => {
  beforeEach(() => sessionStorage.clear());

  it('asks one flavour for a flavoured product, one per soda of a combo, none for popcorn', () => {
    expect(flavourSlots(MENU[1], MENU)).toEqual([{ label: 'Sabor', options: ['Cola', 'Guaraná'] }]);
    expect(flavourSlots(MENU[2], MENU).map((s) => s.label)).toEqual(['Refrigerante 1', 'Refrigerante 2']);
    expect(flavourSlots(MENU[0], MENU)).toEqual([]);
    expect(lineFor(MENU[2], MENU, 'UN').flavours).toEqual(['Cola', 'Cola']);
  });

  it('merges the same choice, keeps quantities within 1..20 and sends no prices or names', () => {
    const cart = TestBed.inject(CartStore);
    cart.open('h-1');
    cart.add(lineFor(MENU[0], MENU, 'G'));
    cart.add(lineFor(MENU[0], MENU, 'G', 2));
    cart.add(lineFor(MENU[1], MENU, 'M', 1, ['Guaraná']));
    expect(cart.lines().map((l) => [l.productId, l.quantity])).toEqual([['prd-pipoca-salgada', 3], ['prd-refrigerante', 1]]);
    cart.setQuantity(0, 25);
    expect(cart.lines()[0].quantity).toBe(20);
    cart.setQuantity(0, 0);
    expect(cart.lines()[0].quantity).toBe(1);
    expect(cart.estimate()).toEqual(brl(2300 + 1600));
    expect(cart.request()).toEqual([
      { productId: 'prd-pipoca-salgada', size: 'G', quantity: 1 },
      { productId: 'prd-refrigerante', size: 'M', quantity: 1, flavours: ['Guaraná'] },
    ]);
  });

  it('puts a suggested combo in place of the items it replaces', () => {
    const cart = TestBed.inject(CartStore);
    cart.open('h-1');
    cart.add(lineFor(MENU[0], MENU, 'G'));
    cart.add(lineFor(MENU[1], MENU, 'M', 2));
    cart.replace(['prd-pipoca-salgada', 'prd-refrigerante'], lineFor(MENU[2], MENU, 'UN'));
    expect(cart.lines().map((l) => l.productId)).toEqual(['prd-combo-casal']);
    expect(cart.productIds()).toEqual(['prd-combo-casal']);
  });

  it('refuses a line beyond the contract maximum', () => {
    const cart = TestBed.inject(CartStore);
    cart.open('h-1');
    for (let i = 0; i < MAX_LINES; i++) expect(cart.add({ ...lineFor(MENU[0], MENU, 'P'), productId: `p-${i}` })).toBe(true);
    expect(cart.add(lineFor(MENU[1], MENU, 'M'))).toBe(false);
    expect(cart.lines()).toHaveLength(MAX_LINES);
  });

  it('is kept in this tab for its hold only', () => {
    const cart = TestBed.inject(CartStore);
    cart.open('h-1');
    cart.add(lineFor(MENU[0], MENU, 'M'));
    TestBed.resetTestingModule();
    const again = TestBed.inject(CartStore);
    again.open('h-1');
    expect(again.lines().map((l) => l.productId)).toEqual(['prd-pipoca-salgada']);
    TestBed.resetTestingModule();
    const other = TestBed.inject(CartStore);
    other.open('h-2');
    expect(other.lines()).toEqual([]);
  });
});
