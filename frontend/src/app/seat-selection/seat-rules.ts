import type { Schemas } from '../api/api-client';

export type Seat = Schemas['SeatState'];
export type TicketTypeCode = Schemas['TicketTypeCode'];

/** Seats one hold may take (createHold accepts 1 to 10). */
export const MAX_SEATS = 10;

const typeLabels: Record<Schemas['SeatType'], string> = {
  STANDARD: 'padrão',
  WHEELCHAIR: 'espaço para cadeira de rodas',
  COMPANION: 'assento de acompanhante',
  VIP: 'VIP',
  COUPLE: 'namoradeira',
};

/** The pt-BR name of a seat type, for the legend and the summary. */
export function seatTypeLabel(type: Schemas['SeatType']): string {
  return typeLabels[type];
}

/** Whether the buyer can pick the seat now. */
export function isSelectable(seat: Seat): boolean {
  return seat.status === 'AVAILABLE' || seat.yours;
}

/** What a screen reader says for a seat; being chosen is told by aria-pressed. */
export function seatLabel(seat: Seat): string {
  let pair = '';
  if (seat.pair && seat.type === 'COUPLE') pair = `, junto com ${seat.pair}`;
  if (seat.pair && seat.type === 'COMPANION') pair = `, ao lado do espaço ${seat.pair}`;
  if (seat.pair && seat.type === 'WHEELCHAIR') pair = `, com acompanhante em ${seat.pair}`;
  const status = seat.yours ? 'reservado por você' : seat.status === 'AVAILABLE' ? 'livre' : seat.status === 'BLOCKED' ? 'bloqueado' : 'ocupado';
  return `Fileira ${seat.row}, assento ${seat.number}, ${typeLabels[seat.type]}${pair}, ${status}`;
}

export type Direction = 'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End';

/**
 * The seat the focus moves to from `from` with a key: left and right stay in
 * the row and jump aisles; up and down go to the nearest row that has seats
 * and, in it, to the seat nearest in column; Home and End go to the row's
 * ends. Answers `from` at an edge.
 */
export function nextSeat(seats: readonly Seat[], from: Seat, key: Direction): Seat {
  const row = seats.filter((s) => s.y === from.y).sort((a, b) => a.x - b.x);
  switch (key) {
    case 'ArrowRight':
      return row.find((s) => s.x > from.x) ?? from;
    case 'ArrowLeft':
      return [...row].reverse().find((s) => s.x < from.x) ?? from;
    case 'Home':
      return row[0] ?? from;
    case 'End':
      return row[row.length - 1] ?? from;
    case 'ArrowDown':
    case 'ArrowUp': {
      const ys = [...new Set(seats.map((s) => s.y))].sort((a, b) => a - b);
      const i = ys.indexOf(from.y) + (key === 'ArrowDown' ? 1 : -1);
      if (i < 0 || i >= ys.length) return from;
      const target = seats.filter((s) => s.y === ys[i]);
      return target.reduce((best, s) => (Math.abs(s.x - from.x) < Math.abs(best.x - from.x) ? s : best), target[0]);
    }
  }
}

export interface ToggleResult {
  selected: string[];
  /** Why nothing changed, in pt-BR. */
  refused?: string;
}

/**
 * Picks or drops a seat with the seats that go with it: a couple seat with
 * its other half, a companion seat with its wheelchair space. Dropping a
 * wheelchair space drops its companion seat too.
 */
export function toggleSeat(selected: readonly string[], seat: Seat, seats: readonly Seat[]): ToggleResult {
  const byId = new Map(seats.map((s) => [s.id, s]));
  const pair = seat.pair ? byId.get(seat.pair) : undefined;
  if (selected.includes(seat.id)) {
    const drop = new Set([seat.id]);
    if (pair && (seat.type === 'COUPLE' || seat.type === 'WHEELCHAIR')) drop.add(pair.id);
    return { selected: selected.filter((id) => !drop.has(id)) };
  }
  if (!isSelectable(seat)) {
    return { selected: [...selected], refused: `O assento ${seat.id} não está disponível.` };
  }
  const add = [seat.id];
  if (pair && (seat.type === 'COUPLE' || seat.type === 'COMPANION') && !selected.includes(pair.id)) {
    if (!isSelectable(pair)) {
      const why = seat.type === 'COUPLE'
        ? `A namoradeira ${seat.id} é vendida em par, e ${pair.id} não está disponível.`
        : `O assento de acompanhante ${seat.id} é vendido com o espaço ${pair.id}, que não está disponível.`;
      return { selected: [...selected], refused: why };
    }
    add.push(pair.id);
  }
  if (selected.length + add.length > MAX_SEATS) {
    return { selected: [...selected], refused: `Você pode escolher até ${MAX_SEATS} assentos por compra.` };
  }
  return { selected: [...selected, ...add] };
}
