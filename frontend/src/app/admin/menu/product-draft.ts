import type { Schemas } from '../../api/api-client';
import { CATEGORIES, parseReais, reaisInput } from '../admin-format';

export interface SizeDraft { code: string; label: string; price: string }
export interface ComboLineDraft { productId: string; size: string; quantity: string }

/** The product editor's fields, as typed. */
export interface ProductDraft {
  id: string;
  name: string;
  description: string;
  category: string;
  sizes: SizeDraft[];
  /** Comma-separated. */
  flavours: string;
  serves: string;
  comboItems: ComboLineDraft[];
  active: boolean;
  sortOrder: string;
}

export type ProductErrors = Record<string, string>;

export function newProduct(): ProductDraft {
  return { id: '', name: '', description: '', category: 'PIPOCA', sizes: [{ code: 'UN', label: 'Único', price: '' }], flavours: '', serves: '1', comboItems: [], active: true, sortOrder: '100' };
}

export function productDraftOf(p: Schemas['AdminProduct']): ProductDraft {
  return {
    id: p.id, name: p.name, description: p.description, category: p.category,
    sizes: p.sizes.map((s) => ({ code: s.code, label: s.label, price: reaisInput(s.price.amount) })),
    flavours: p.flavours.join(', '), serves: String(p.serves),
    comboItems: (p.combo?.items ?? []).map((i) => ({ productId: i.productId, size: i.size, quantity: String(i.quantity) })),
    active: p.active, sortOrder: String(p.sortOrder),
  };
}

const int = (s: string, min: number, max: number) => /^\d+$/.test(s.trim()) && Number(s) >= min && Number(s) <= max;

/** The contract's ProductInput rules (and the product id's pattern), keyed by field path. */
export function validateProduct(d: ProductDraft, isNew: boolean): ProductErrors {
  const e: ProductErrors = {};
  if (isNew && !/^[a-z0-9-]{1,64}$/.test(d.id)) e['id'] = 'Use letras minúsculas, números e hífens (ex.: pipoca-doce).';
  const name = d.name.trim();
  if (!name) e['name'] = 'Informe o nome.';
  else if (name.length > 80) e['name'] = 'No máximo 80 caracteres.';
  if (d.description.length > 300) e['description'] = 'No máximo 300 caracteres.';
  if (!(CATEGORIES as string[]).includes(d.category)) e['category'] = 'Escolha a categoria.';
  if (d.sizes.length < 1 || d.sizes.length > 5) e['sizes'] = 'De 1 a 5 tamanhos.';
  const codes = new Set<string>();
  d.sizes.forEach((s, i) => {
    if (!/^[A-Z]{1,4}$/.test(s.code)) e[`sizes[${i}].code`] = 'Código de 1 a 4 letras maiúsculas (P, M, G, UN).';
    else if (codes.has(s.code)) e[`sizes[${i}].code`] = 'Código repetido.';
    codes.add(s.code);
    if (!s.label.trim() || s.label.trim().length > 40) e[`sizes[${i}].label`] = 'Nome do tamanho, até 40 caracteres.';
    const cents = parseReais(s.price);
    if (cents === null || cents > 1_000_000) e[`sizes[${i}].price`] = 'Preço em reais, de R$ 0,00 a R$ 10.000,00.';
  });
  const flavours = splitList(d.flavours);
  if (flavours.length > 10) e['flavours'] = 'No máximo 10 sabores.';
  else if (flavours.some((f) => f.length > 40)) e['flavours'] = 'Cada sabor tem no máximo 40 caracteres.';
  if (!int(d.serves, 1, 10)) e['serves'] = 'Serve de 1 a 10 pessoas.';
  if (!int(d.sortOrder, 0, 999999)) e['sortOrder'] = 'Um número de 0 a 999999.';
  if (d.category === 'COMBO') {
    if (d.comboItems.length < 1 || d.comboItems.length > 6) e['comboItems'] = 'Um combo tem de 1 a 6 itens.';
    d.comboItems.forEach((c, i) => {
      if (!/^[a-z0-9-]{1,64}$/.test(c.productId)) e[`comboItems[${i}].productId`] = 'Escolha o produto.';
      if (!/^[A-Z]{1,4}$/.test(c.size)) e[`comboItems[${i}].size`] = 'Escolha o tamanho.';
      if (!int(c.quantity, 1, 10)) e[`comboItems[${i}].quantity`] = 'De 1 a 10.';
    });
  }
  return e;
}

export function splitList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

/** putProduct's body for a valid draft. */
export function productInput(d: ProductDraft): Schemas['ProductInput'] {
  const body: Schemas['ProductInput'] = {
    name: d.name.trim(), description: d.description.trim(), category: d.category as Schemas['ProductCategory'],
    sizes: d.sizes.map((s) => ({ code: s.code, label: s.label.trim(), price: { amount: parseReais(s.price) ?? 0, currency: 'BRL' } })),
    flavours: splitList(d.flavours), serves: Number(d.serves), active: d.active, sortOrder: Number(d.sortOrder),
  };
  if (d.category === 'COMBO') body.comboItems = d.comboItems.map((c) => ({ productId: c.productId, size: c.size, quantity: Number(c.quantity) }));
  return body;
}
