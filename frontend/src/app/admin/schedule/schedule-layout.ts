import type { Schemas } from '../../api/api-client';
import { clock, spMinutesOf } from '../admin-format';

export type AdminShowtime = Schemas['AdminShowtime'];
export type Conflict = Schemas['ScheduleConflict'];

/** One block of a room's row: from the start to busyUntil, the tail being the cleaning interval. */
export interface GridBlock {
  id: string;
  showtime: AdminShowtime;
  start: number;
  end: number;
  busyUntil: number;
  cancelled: boolean;
  conflict: boolean;
  /** What a screen reader hears after the visible title and times. */
  extra: string;
}

/** A conflict the server sent for a room, drawn as a band over that room's row. */
export interface ConflictBand {
  start: number;
  end: number;
  label: string;
}

export interface GridRow {
  roomId: string;
  roomName: string;
  formats: Schemas['Format'][];
  blocks: GridBlock[];
  conflicts: ConflictBand[];
}

export interface Grid {
  /** Minutes after midnight where the time axis starts and ends (whole hours). */
  axisStart: number;
  axisEnd: number;
  hours: number[];
  rows: GridRow[];
}

const DEFAULT_START = 9 * 60;
const DEFAULT_END = 24 * 60;

/**
 * The schedule grid of one day: rooms as rows, showtimes as blocks placed
 * by their São Paulo times, and the conflicts of a refused scheduling on
 * this day marked (the blocks they name, and a band over their time).
 */
export function buildGrid(day: Schemas['ScheduleDay'], conflicts: Conflict[] = []): Grid {
  const conflictIds = new Set(conflicts.map((c) => c.showtimeId).filter(Boolean));
  let lo = DEFAULT_START;
  let hi = DEFAULT_END;
  const rows: GridRow[] = day.rooms.map((room) => {
    const blocks = room.showtimes.map((s): GridBlock => {
      const start = spMinutesOf(s.startsAt, day.date);
      const end = spMinutesOf(s.endsAt, day.date);
      const busyUntil = spMinutesOf(s.busyUntil, day.date);
      const cancelled = s.status === 'CANCELLED';
      const conflict = conflictIds.has(s.id);
      lo = Math.min(lo, start);
      hi = Math.max(hi, busyUntil);
      const parts = [
        `sala ocupada até ${clock(busyUntil)} (limpeza)`,
        `${s.format} ${s.language.toLowerCase()}`,
        `${s.sold} de ${s.capacity} vendidos`,
      ];
      if (cancelled) parts.push('cancelada');
      if (conflict) parts.push('em conflito com a programação pedida');
      return { id: s.id, showtime: s, start, end, busyUntil, cancelled, conflict, extra: parts.join(', ') };
    });
    const bands = conflicts
      .filter((c) => c.roomId === room.roomId)
      .map((c) => ({ start: spMinutesOf(c.startsAt, day.date), end: spMinutesOf(c.busyUntil, day.date) }))
      .filter((b) => b.end > 0 && b.start < 1440 + 6 * 60)
      .map((b) => {
        lo = Math.min(lo, b.start);
        hi = Math.max(hi, b.end);
        return { ...b, label: `Conflito: sala ocupada das ${clock(b.start)} às ${clock(b.end)}` };
      });
    return { roomId: room.roomId, roomName: room.roomName, formats: room.formats, blocks: blocks.sort((a, b) => a.start - b.start), conflicts: bands };
  });
  const axisStart = Math.max(0, Math.floor(lo / 60) * 60);
  const axisEnd = Math.ceil(hi / 60) * 60;
  const hours: number[] = [];
  for (let m = axisStart; m <= axisEnd; m += 60) hours.push(m);
  return { axisStart, axisEnd, hours, rows };
}

/** Percent of the axis width at a minute, for CSS left/width. */
export function pct(grid: Grid, minutes: number): number {
  return ((minutes - grid.axisStart) / (grid.axisEnd - grid.axisStart)) * 100;
}

/** The São Paulo days a list of conflicts falls on, in order. */
export function conflictDays(conflicts: Conflict[], from: string): string[] {
  const days = new Set<string>();
  for (const c of conflicts) {
    const minutes = spMinutesOf(c.startsAt, from);
    const offset = Math.floor(minutes / 1440);
    const d = new Date(`${from}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + offset);
    days.add(d.toISOString().slice(0, 10));
  }
  return [...days].sort();
}

/** What staff type as times ("14:00, 19:30") → the contract's LocalTimes, or an error in pt-BR. */
export function parseTimes(text: string): { times: string[]; error?: string } {
  const raw = text.split(/[,;\s]+/).map((t) => t.trim()).filter(Boolean);
  if (raw.length === 0) return { times: [], error: 'Informe ao menos um horário (HH:MM).' };
  const times = raw.map((t) => (/^\d:\d{2}$/.test(t) ? `0${t}` : t));
  const bad = times.find((t) => !/^([01][0-9]|2[0-3]):[0-5][05]$/.test(t));
  if (bad) return { times, error: `“${bad}” não é um horário válido: use HH:MM em marcas de 5 minutos (ex.: 19:30).` };
  if (new Set(times).size !== times.length) return { times, error: 'Há horários repetidos.' };
  if (times.length > 12) return { times, error: 'No máximo 12 horários por vez.' };
  return { times: [...times].sort() };
}
