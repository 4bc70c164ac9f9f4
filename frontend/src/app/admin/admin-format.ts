import type { Schemas } from '../api/api-client';
import { LOCALE, SP_TIME_ZONE, spDate } from '../shared/locale/format';

export type Weekday = Schemas['Weekday'];
export type Format = Schemas['Format'];

/** The week as the chain's price tables read it: Monday first. */
export const WEEKDAYS: Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];
export const WEEKDAY_LABELS: Record<Weekday, string> = {
  MON: 'Seg', TUE: 'Ter', WED: 'Qua', THU: 'Qui', FRI: 'Sex', SAT: 'Sáb', SUN: 'Dom',
};
export const WEEKDAY_NAMES: Record<Weekday, string> = {
  MON: 'segunda-feira', TUE: 'terça-feira', WED: 'quarta-feira', THU: 'quinta-feira', FRI: 'sexta-feira', SAT: 'sábado', SUN: 'domingo',
};
export const FORMATS: Format[] = ['2D', '3D', 'IMAX'];
export const LANGUAGES: Schemas['Language'][] = ['DUBLADO', 'LEGENDADO', 'NACIONAL'];
export const LANGUAGE_LABELS: Record<Schemas['Language'], string> = { DUBLADO: 'Dublado', LEGENDADO: 'Legendado', NACIONAL: 'Nacional' };
export const AGE_RATINGS: Schemas['AgeRating'][] = ['L', '10', '12', '14', '16', '18'];
export const CATEGORIES: Schemas['ProductCategory'][] = ['PIPOCA', 'BEBIDA', 'CHOCOLATE', 'DOCE', 'SALGADO', 'COMBO'];
export const CATEGORY_LABELS: Record<Schemas['ProductCategory'], string> = {
  PIPOCA: 'Pipoca', BEBIDA: 'Bebida', CHOCOLATE: 'Chocolate', DOCE: 'Doce', SALGADO: 'Salgado', COMBO: 'Combo',
};
export const SEAT_TYPE_LABELS: Record<Schemas['SeatType'], string> = {
  STANDARD: 'Padrão', WHEELCHAIR: 'Cadeirante', COMPANION: 'Acompanhante', VIP: 'VIP', COUPLE: 'Namoradeira',
};

/** Today in São Paulo (YYYY-MM-DD). */
export function spToday(now = new Date()): string {
  return spDate(now);
}

/** Whole days from a to b (YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T12:00:00Z`) - Date.parse(`${a}T12:00:00Z`)) / 86_400_000);
}

/** The weekday of a calendar day. */
export function weekdayOf(day: string): Weekday {
  return (['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as Weekday[])[new Date(`${day}T12:00:00Z`).getUTCDay()];
}

const spParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: SP_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});

/** Minutes of an instant after São Paulo midnight of `day` (past midnight counts on: 24:30 is 1470). */
export function spMinutesOf(instant: string, day: string): number {
  const parts = Object.fromEntries(spParts.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const date = `${parts['year']}-${parts['month']}-${parts['day']}`;
  return daysBetween(day, date) * 1440 + Number(parts['hour']) * 60 + Number(parts['minute']);
}

/** "19:30" for minutes after midnight (24:30 for past midnight shows as 00:30). */
export function clock(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

const percent = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const decimal = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

/** "33,6%" from 33.58. */
export function formatPercent(value: number): string {
  return `${percent.format(value)}%`;
}
/** "0,50". */
export function formatDecimal(value: number): string {
  return decimal.format(value);
}
/** "1.234". */
export function formatInt(value: number): string {
  return integer.format(value);
}

/** Centavos from what staff type: "24,90", "24.90", "R$ 1.024,90", "24". Null when it is not an amount. */
export function parseReais(text: string): number | null {
  let t = text.replace(/R\$|\s/g, '');
  if (!t) return null;
  if (t.includes(',')) t = t.replace(/\./g, '').replace(',', '.');
  else if (/^\d{1,3}(\.\d{3})+$/.test(t)) t = t.replace(/\./g, '');
  if (!/^\d+(\.\d{1,2})?$/.test(t)) return null;
  return Math.round(Number(t) * 100);
}

/** "24,90" for an input, from centavos. */
export function reaisInput(cents: number): string {
  return (cents / 100).toFixed(2).replace('.', ',');
}
