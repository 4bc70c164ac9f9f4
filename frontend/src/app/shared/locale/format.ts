import type { Schemas } from '../../api/api-client';

/** Every time is shown in São Paulo, whatever the device's zone. */
export const SP_TIME_ZONE = 'America/Sao_Paulo';
export const LOCALE = 'pt-BR';

const brl = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'BRL' });
const time = new Intl.DateTimeFormat(LOCALE, { timeZone: SP_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const spDay = new Intl.DateTimeFormat('en-CA', { timeZone: SP_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });
// Calendar days ("2026-11-28") have no zone: they are formatted at noon UTC in UTC.
const weekdayShort = new Intl.DateTimeFormat(LOCALE, { timeZone: 'UTC', weekday: 'short' });
const dayMonth = new Intl.DateTimeFormat(LOCALE, { timeZone: 'UTC', day: '2-digit', month: '2-digit' });
const longDate = new Intl.DateTimeFormat(LOCALE, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
const showtimeDate = new Intl.DateTimeFormat(LOCALE, { timeZone: SP_TIME_ZONE, weekday: 'short', day: '2-digit', month: '2-digit' });

/** R$ 24,90 from integer centavos. */
export function formatMoney(money: Schemas['Money']): string {
  return brl.format(money.amount / 100);
}

/** "22:30" for an RFC 3339 instant, in São Paulo. */
export function formatTime(instant: string | Date): string {
  return time.format(new Date(instant));
}

const dayMonthYear = new Intl.DateTimeFormat(LOCALE, { timeZone: SP_TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });

/** "19:12 de 19/03/2026" for an RFC 3339 instant, in São Paulo. */
export function formatTimeAndDate(instant: string | Date): string {
  return `${formatTime(instant)} de ${dayMonthYear.format(new Date(instant))}`;
}

/** "19:05" for an instant of São Paulo's day of `now`, else "19:05 de 18/03/2026": a time of another day names it. */
export function formatTimeOfDay(instant: string | Date, now: Date = new Date()): string {
  return spDate(new Date(instant)) === spDate(now) ? formatTime(instant) : formatTimeAndDate(instant);
}

/** "sáb., 28/11 · 22:30" for an RFC 3339 instant, in São Paulo. */
export function formatShowtimeStart(instant: string | Date): string {
  return `${showtimeDate.format(new Date(instant))} · ${formatTime(instant)}`;
}

/** The São Paulo calendar day (YYYY-MM-DD) of an instant. */
export function spDate(instant: Date): string {
  return spDay.format(instant);
}

/** The calendar day n days after a YYYY-MM-DD day. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** "sáb." and "28/11" for a date strip chip. */
export function formatDayChip(day: string): { weekday: string; date: string } {
  const d = new Date(`${day}T12:00:00Z`);
  return { weekday: weekdayShort.format(d), date: dayMonth.format(d) };
}

/** "7 de janeiro de 2027" for a calendar day. */
export function formatLongDate(day: string): string {
  return longDate.format(new Date(`${day}T12:00:00Z`));
}

/** "2h02" for a runtime in minutes. */
export function formatRuntime(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m} min` : `${h}h${String(m).padStart(2, '0')}`;
}

/** "09:42" for the time left on a hold; never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

/** "9 minutos e 42 segundos", for screen readers. */
export function speakCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  const parts = [];
  if (m > 0) parts.push(`${m} ${m === 1 ? 'minuto' : 'minutos'}`);
  if (s > 0 || m === 0) parts.push(`${s} ${s === 1 ? 'segundo' : 'segundos'}`);
  return parts.join(' e ');
}

const formatLabels: Record<Schemas['Format'], string> = { '2D': '2D', '3D': '3D', IMAX: 'IMAX' };
const languageLabels: Record<Schemas['Language'], string> = {
  DUBLADO: 'Dublado',
  LEGENDADO: 'Legendado',
  NACIONAL: 'Nacional',
};

/** "2D · Legendado". */
export function formatVersion(format: Schemas['Format'], language: Schemas['Language']): string {
  return `${formatLabels[format]} · ${languageLabels[language]}`;
}
