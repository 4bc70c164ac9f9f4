import type { Schemas } from '../../api/api-client';
import { FORMATS, type Format, WEEKDAYS, WEEKDAY_NAMES, type Weekday, parseReais, reaisInput } from '../admin-format';

export const SURCHARGE_TYPES: Schemas['SeatType'][] = ['VIP', 'COUPLE', 'STANDARD', 'WHEELCHAIR', 'COMPANION'];

/** The price table as a format × weekday grid of typed reais, promo days and surcharges. */
export interface PriceGrid {
  cells: Record<Format, Record<Weekday, string>>;
  promo: Weekday[];
  surcharges: Partial<Record<Schemas['SeatType'], string>>;
}

function emptyRow(): Record<Weekday, string> {
  return Object.fromEntries(WEEKDAYS.map((w) => [w, ''])) as Record<Weekday, string>;
}

export function gridOf(table: Schemas['PriceTable']): PriceGrid {
  const cells = Object.fromEntries(FORMATS.map((f) => [f, emptyRow()])) as PriceGrid['cells'];
  for (const r of table.rules) for (const w of r.weekdays) cells[r.format][w] = reaisInput(r.inteira.amount);
  const surcharges: PriceGrid['surcharges'] = {};
  for (const s of table.seatSurcharges) surcharges[s.seatType] = reaisInput(s.amount.amount);
  return { cells, promo: [...table.promoWeekdays], surcharges };
}

/**
 * putPriceTable's body from the grid: equal prices of a format are one rule.
 * A format left empty is not priced; a format priced on some days only, or a
 * cell that is not an amount, is an error (the contract needs every weekday).
 */
export function tableInput(g: PriceGrid): { input?: Schemas['PriceTableInput']; errors: string[] } {
  const errors: string[] = [];
  const rules: Schemas['PriceRule'][] = [];
  for (const f of FORMATS) {
    const row = g.cells[f];
    const filled = WEEKDAYS.filter((w) => row[w].trim() !== '');
    if (filled.length === 0) continue;
    if (filled.length < WEEKDAYS.length) {
      const missing = WEEKDAYS.filter((w) => !filled.includes(w)).map((w) => WEEKDAY_NAMES[w]);
      errors.push(`${f}: falta o preço de ${missing.join(', ')} (preencha a semana inteira ou deixe o formato vazio).`);
      continue;
    }
    const byPrice = new Map<number, Weekday[]>();
    for (const w of WEEKDAYS) {
      const cents = parseReais(row[w]);
      if (cents === null || cents > 1_000_000) {
        errors.push(`${f}, ${WEEKDAY_NAMES[w]}: “${row[w]}” não é um preço válido.`);
        continue;
      }
      byPrice.set(cents, [...(byPrice.get(cents) ?? []), w]);
    }
    for (const [cents, weekdays] of byPrice) rules.push({ format: f, weekdays, inteira: { amount: cents, currency: 'BRL' } });
  }
  if (rules.length === 0 && errors.length === 0) errors.push('Informe os preços de ao menos um formato.');
  const seatSurcharges: Schemas['SeatSurchargeInput'][] = [];
  for (const t of SURCHARGE_TYPES) {
    const text = (g.surcharges[t] ?? '').trim();
    if (!text) continue;
    const cents = parseReais(text);
    if (cents === null || cents > 1_000_000) errors.push(`Acréscimo ${t}: “${text}” não é um valor válido.`);
    else seatSurcharges.push({ seatType: t, amount: { amount: cents, currency: 'BRL' } });
  }
  if (errors.length) return { errors };
  return { input: { rules, seatSurcharges, promoWeekdays: WEEKDAYS.filter((w) => g.promo.includes(w)) }, errors };
}
