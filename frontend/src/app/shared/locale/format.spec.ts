import { CurrencyPipe, DatePipe, registerLocaleData } from '@angular/common';
import localePt from '@angular/common/locales/pt';
import {
  addDays,
  formatCountdown,
  formatDayChip,
  formatLongDate,
  formatMoney,
  formatRuntime,
  formatShowtimeStart,
  formatTime,
  formatTimeAndDate,
  formatTimeOfDay,
  formatVersion,
  spDate,
  speakCountdown,
} from './format';

const nbsp = '\u00a0';

describe('money in pt-BR', () => {
  it('formats integer centavos as reais with a comma and R$', () => {
    expect(formatMoney({ amount: 2490, currency: 'BRL' })).toBe(`R$${nbsp}24,90`);
    expect(formatMoney({ amount: 0, currency: 'BRL' })).toBe(`R$${nbsp}0,00`);
    expect(formatMoney({ amount: 123456, currency: 'BRL' })).toBe(`R$${nbsp}1.234,56`);
  });

  it("matches Angular's CurrencyPipe with the pt-BR locale data", () => {
    registerLocaleData(localePt, 'pt-BR');
    const pipe = new CurrencyPipe('pt-BR', 'BRL');
    expect(pipe.transform(24.9)).toBe(formatMoney({ amount: 2490, currency: 'BRL' }));
  });
});

describe('times in America/Sao_Paulo', () => {
  it('shows an instant in São Paulo whatever offset it was written with', () => {
    expect(formatTime('2026-11-29T01:30:00Z')).toBe('22:30');
    expect(formatTime('2026-11-28T22:30:00-03:00')).toBe('22:30');
    expect(formatTime('2026-11-28T17:05:00Z')).toBe('14:05');
    expect(formatTimeAndDate('2026-03-19T22:12:40Z')).toBe('19:12 de 19/03/2026');
    expect(formatTimeAndDate('2027-01-01T02:30:00Z')).toBe('23:30 de 31/12/2026');
  });

  it('names the day of a time only when it is not São Paulo\'s day of now', () => {
    const now = new Date('2026-03-20T02:30:00Z'); // 23:30 of 19/03 in São Paulo
    expect(formatTimeOfDay('2026-03-19T22:05:12Z', now)).toBe('19:05');
    expect(formatTimeOfDay('2026-03-19T03:30:00Z', now)).toBe('00:30');
    expect(formatTimeOfDay('2026-03-19T02:55:00Z', now)).toBe('23:55 de 18/03/2026');
    expect(formatTimeOfDay('2026-03-20T03:00:00Z', now)).toBe('00:00 de 20/03/2026');
  });

  it('uses 24-hour time with leading zeros', () => {
    expect(formatTime('2026-11-28T12:05:00Z')).toBe('09:05');
    expect(formatTime('2026-11-29T03:00:00Z')).toBe('00:00');
  });

  it('finds the São Paulo day of an instant near midnight UTC', () => {
    expect(spDate(new Date('2026-11-29T02:59:00Z'))).toBe('2026-11-28');
    expect(spDate(new Date('2026-11-29T03:00:00Z'))).toBe('2026-11-29');
  });

  it('writes the weekday and date of a showtime in pt-BR', () => {
    expect(formatShowtimeStart('2026-11-29T01:30:00Z')).toBe('sáb., 28/11 · 22:30');
  });

  it('is not the DatePipe in UTC (the device zone must not leak in)', () => {
    const utc = new DatePipe('en-US').transform('2026-11-29T01:30:00Z', 'HH:mm', 'UTC');
    expect(utc).toBe('01:30');
    expect(formatTime('2026-11-29T01:30:00Z')).not.toBe(utc);
  });
});

describe('calendar days', () => {
  it('adds days across months and years', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-11-28', 0)).toBe('2026-11-28');
  });

  it('labels a day chip and a long date in pt-BR', () => {
    expect(formatDayChip('2026-11-30')).toEqual({ weekday: 'seg.', date: '30/11' });
    expect(formatLongDate('2027-01-07')).toBe('7 de janeiro de 2027');
  });
});

describe('durations', () => {
  it('writes runtimes as 2h02 or 45 min', () => {
    expect(formatRuntime(122)).toBe('2h02');
    expect(formatRuntime(89)).toBe('1h29');
    expect(formatRuntime(45)).toBe('45 min');
  });

  it('writes the countdown as mm:ss, rounding up and never below zero', () => {
    expect(formatCountdown(600_000)).toBe('10:00');
    expect(formatCountdown(582_001)).toBe('09:43');
    expect(formatCountdown(999)).toBe('00:01');
    expect(formatCountdown(-5000)).toBe('00:00');
  });

  it('speaks the countdown in words', () => {
    expect(speakCountdown(120_000)).toBe('2 minutos');
    expect(speakCountdown(61_000)).toBe('1 minuto e 1 segundo');
    expect(speakCountdown(0)).toBe('0 segundos');
  });

  it('names format and language', () => {
    expect(formatVersion('3D', 'DUBLADO')).toBe('3D · Dublado');
  });
});
