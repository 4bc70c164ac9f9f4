import shared from '../../../../internal/booking/testdata/isolated-seats.json';
import { isolatedSeatWarning, isolatedSeats } from './isolated-seats';
import type { Seat } from './seat-rules';

const symbols: Record<string, Seat['type']> = { S: 'STANDARD', X: 'STANDARD', V: 'VIP', P: 'COUPLE', W: 'WHEELCHAIR', C: 'COMPANION' };

/**
 * The seat map a case describes, in the symbols of the server's
 * catalog.ParseLayout: row A first, seats numbered from 1 skipping aisles; X is
 * a seat out of sale (BLOCKED), `taken` gives other seats' status.
 */
function seatMap(layout: readonly string[], taken: Record<string, string>): Seat[] {
  return layout.flatMap((pattern, y) => {
    const row = String.fromCharCode(65 + y);
    let number = 0;
    return [...pattern].flatMap((sym, x) => {
      if (sym === '_') return [];
      number++;
      const id = `${row}${number}`;
      const status = (sym === 'X' ? 'BLOCKED' : (taken[id] ?? 'AVAILABLE')) as Seat['status'];
      return [{ id, row, number, x, y, type: symbols[sym], status, yours: false }];
    });
  });
}

describe('the isolated-seat rule, on the examples the server is checked against', () => {
  it('has examples to check', () => {
    expect(shared.cases.length).toBeGreaterThan(5);
  });

  it.each(shared.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(isolatedSeats(seatMap(c.layout, c.taken as Record<string, string>), c.pick)).toEqual(c.isolated);
  });
});

describe('the warning beside Reservar', () => {
  it('says nothing when no seat is left alone', () => {
    expect(isolatedSeatWarning([], 'BLOCK', true)).toBeNull();
  });

  it('at a cinema that refuses it, says so and how to fix it', () => {
    expect(isolatedSeatWarning(['A1'], 'BLOCK', true)).toBe(
      'Essa escolha deixa a poltrona A1 isolada, e este cinema não reserva assim. Inclua A1 ou escolha outros lugares.');
    expect(isolatedSeatWarning(['A1', 'A3', 'A5'], 'BLOCK', false)).toBe(
      'Essa escolha deixa as poltronas A1, A3 e A5 isoladas, e este cinema não reserva assim. Escolha outros lugares.');
  });

  it('at a cinema that only warns, says it will hold anyway', () => {
    expect(isolatedSeatWarning(['B4'], 'WARN', true)).toBe(
      'Essa escolha deixa a poltrona B4 isolada. Este cinema reserva assim mesmo; se puder, inclua B4 ou escolha outros lugares.');
  });
});
