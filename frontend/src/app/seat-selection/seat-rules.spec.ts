import { type Seat, MAX_SEATS, nextSeat, seatLabel, toggleSeat } from './seat-rules';

function seat(id: string, x: number, y: number, extra: Partial<Seat> = {}): Seat {
  return { id, row: id.replace(/\d+$/, ''), number: Number(id.replace(/^\D+/, '')), x, y, type: 'STANDARD', status: 'AVAILABLE', yours: false, ...extra };
}

// A  [W1][C2] .. [A3][A4]      (x = 0, 1, 3, 4; an aisle at x = 2)
// B  [B1][B2] .. [B3]
// C       (no seats: a cross aisle)
// D  [D1=D2 couple]   [D3][D4]
const seats: Seat[] = [
  seat('A1', 0, 0, { type: 'WHEELCHAIR', pair: 'A2' }),
  seat('A2', 1, 0, { type: 'COMPANION', pair: 'A1' }),
  seat('A3', 3, 0),
  seat('A4', 4, 0, { status: 'SOLD' }),
  seat('B1', 0, 1),
  seat('B2', 1, 1),
  seat('B3', 3, 1, { type: 'VIP' }),
  seat('D1', 0, 3, { type: 'COUPLE', pair: 'D2' }),
  seat('D2', 1, 3, { type: 'COUPLE', pair: 'D1' }),
  seat('D3', 3, 3, { status: 'HELD', yours: true }),
  seat('D4', 4, 3, { type: 'COUPLE', pair: 'D5' }),
  seat('D5', 5, 3, { type: 'COUPLE', pair: 'D4', status: 'SOLD' }),
];
const byId = (id: string) => seats.find((s) => s.id === id)!;

describe('keyboard moves on the seat map', () => {
  it.each([
    ['right jumps the aisle', 'A2', 'ArrowRight', 'A3'],
    ['left jumps the aisle back', 'A3', 'ArrowLeft', 'A2'],
    ['right stops at the end of the row', 'A4', 'ArrowRight', 'A4'],
    ['left stops at the start of the row', 'A1', 'ArrowLeft', 'A1'],
    ['down goes to the same column', 'A2', 'ArrowDown', 'B2'],
    ['down from a column the next row lacks goes to the nearest seat', 'A4', 'ArrowDown', 'B3'],
    ['down skips a row without seats', 'B1', 'ArrowDown', 'D1'],
    ['up skips it too', 'D3', 'ArrowUp', 'B3'],
    ['up stops at the first row', 'A3', 'ArrowUp', 'A3'],
    ['down stops at the last row', 'D2', 'ArrowDown', 'D2'],
    ['Home goes to the first seat of the row', 'D4', 'Home', 'D1'],
    ['End goes to the last seat of the row', 'B1', 'End', 'B3'],
  ] as const)('%s', (_name, from, key, to) => {
    expect(nextSeat(seats, byId(from), key).id).toBe(to);
  });

  it('reaches taken seats too, so a screen reader can hear them', () => {
    expect(nextSeat(seats, byId('A3'), 'ArrowRight').id).toBe('A4');
  });
});

describe('screen-reader labels', () => {
  it.each([
    ['A3', 'Fileira A, assento 3, padrão, livre'],
    ['A4', 'Fileira A, assento 4, padrão, ocupado'],
    ['A1', 'Fileira A, assento 1, espaço para cadeira de rodas, com acompanhante em A2, livre'],
    ['A2', 'Fileira A, assento 2, assento de acompanhante, ao lado do espaço A1, livre'],
    ['D1', 'Fileira D, assento 1, namoradeira, junto com D2, livre'],
    ['B3', 'Fileira B, assento 3, VIP, livre'],
    ['D3', 'Fileira D, assento 3, padrão, reservado por você'],
  ])('%s reads "%s"', (id, label) => {
    expect(seatLabel(byId(id))).toBe(label);
  });

  it('says blocked for a seat not for sale', () => {
    expect(seatLabel(seat('Z9', 0, 0, { status: 'BLOCKED' }))).toBe('Fileira Z, assento 9, padrão, bloqueado');
  });
});

describe('picking seats', () => {
  it('adds and removes a standard seat', () => {
    const picked = toggleSeat([], byId('A3'), seats);
    expect(picked).toEqual({ selected: ['A3'] });
    expect(toggleSeat(picked.selected, byId('A3'), seats)).toEqual({ selected: [] });
  });

  it('takes a couple seat with its other half, and drops both', () => {
    const picked = toggleSeat([], byId('D2'), seats);
    expect(picked.selected).toEqual(['D2', 'D1']);
    expect(toggleSeat(picked.selected, byId('D1'), seats).selected).toEqual([]);
  });

  it('refuses a couple seat whose other half is taken', () => {
    const r = toggleSeat([], byId('D4'), seats);
    expect(r.selected).toEqual([]);
    expect(r.refused).toBe('A namoradeira D4 é vendida em par, e D5 não está disponível.');
  });

  it('takes a companion seat with its wheelchair space', () => {
    expect(toggleSeat([], byId('A2'), seats).selected).toEqual(['A2', 'A1']);
  });

  it('takes a wheelchair space alone, and dropping it drops its companion', () => {
    expect(toggleSeat([], byId('A1'), seats).selected).toEqual(['A1']);
    expect(toggleSeat(['A1', 'A2', 'B1'], byId('A1'), seats).selected).toEqual(['B1']);
  });

  it('dropping a companion seat keeps the wheelchair space', () => {
    expect(toggleSeat(['A2', 'A1'], byId('A2'), seats).selected).toEqual(['A1']);
  });

  it('refuses a taken seat', () => {
    expect(toggleSeat([], byId('A4'), seats).refused).toBe('O assento A4 não está disponível.');
  });

  it("accepts the buyer's own held seat", () => {
    expect(toggleSeat([], byId('D3'), seats).selected).toEqual(['D3']);
  });

  it(`refuses more than ${MAX_SEATS} seats, counting the pair`, () => {
    const nine = Array.from({ length: 9 }, (_, i) => `X${i + 1}`);
    expect(toggleSeat(nine, byId('A3'), seats).selected).toHaveLength(10);
    const r = toggleSeat(nine, byId('D1'), seats);
    expect(r.selected).toEqual(nine);
    expect(r.refused).toBe('Você pode escolher até 10 assentos por compra.');
  });
});
