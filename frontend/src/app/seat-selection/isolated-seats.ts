import type { Schemas } from '../api/api-client';
import type { Seat } from './seat-rules';

export type GapPolicy = Schemas['GapPolicy'];

/** Places that end a run of seats and are never isolated themselves. */
const special = (s: Seat) => s.type === 'WHEELCHAIR' || s.type === 'COMPANION';

/**
 * The seats a hold of `picked` would leave isolated, in row order and then
 * left to right: the rule createHold applies, as the contract states it
 * under `GapPolicy` (checked against the server's own examples in
 * internal/booking/testdata/isolated-seats.json). Only the rows of the pick
 * are looked at; each splits into runs of seats side by side, ended by an
 * aisle (a gap in `x`) or by a wheelchair space or companion seat, which
 * belong to no run. A seat is taken when the map shows it HELD, SOLD or
 * BLOCKED or it is picked, and a run's ends count as taken. A free seat is
 * isolated by the pick when both its sides are taken and one of them is
 * picked. The map is a snapshot: the server decides.
 */
export function isolatedSeats(seats: readonly Seat[], picked: readonly string[]): string[] {
  const requested = new Set(picked);
  const rows = new Set(seats.filter((s) => requested.has(s.id)).map((s) => s.row));
  const taken = (s: Seat) => s.status !== 'AVAILABLE' || requested.has(s.id);
  const isolated: string[] = [];
  // Rows by name, as the server sorts them (code-unit order, not the locale's).
  for (const row of [...rows].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const inRow = seats.filter((s) => s.row === row).sort((a, b) => a.x - b.x);
    const runs: Seat[][] = [];
    let run: Seat[] = [];
    for (const s of inRow) {
      if (special(s) || (run.length > 0 && s.x !== run[run.length - 1].x + 1)) {
        if (run.length) runs.push(run);
        run = [];
      }
      if (!special(s)) run.push(s);
    }
    if (run.length) runs.push(run);
    for (const r of runs) {
      const occupied = (i: number) => i < 0 || i >= r.length || taken(r[i]);
      r.forEach((s, i) => {
        if (occupied(i) || !occupied(i - 1) || !occupied(i + 1)) return;
        if (requested.has(r[i - 1]?.id) || requested.has(r[i + 1]?.id)) isolated.push(s.id);
      });
    }
  }
  return isolated;
}

/** "a poltrona A1" or "as poltronas A1 e A3". */
function seatsPhrase(ids: readonly string[]): { phrase: string; plural: boolean } {
  if (ids.length === 1) return { phrase: `a poltrona ${ids[0]}`, plural: false };
  return { phrase: `as poltronas ${ids.slice(0, -1).join(', ')} e ${ids[ids.length - 1]}`, plural: true };
}

/**
 * What the buyer reads beside Reservar when the pick leaves seats isolated,
 * by the cinema's policy: BLOCK will be refused, WARN is only a warning. The
 * way out is to take the lonely seats too (which never isolates another)
 * when they can be picked, or to choose other seats.
 */
export function isolatedSeatWarning(isolated: readonly string[], policy: GapPolicy, canInclude: boolean): string | null {
  if (isolated.length === 0) return null;
  const { phrase, plural } = seatsPhrase(isolated);
  const left = `Essa escolha deixa ${phrase} ${plural ? 'isoladas' : 'isolada'}`;
  const fix = canInclude ? `Inclua ${isolated.join(' e ')} ou escolha outros lugares.` : 'Escolha outros lugares.';
  return policy === 'BLOCK'
    ? `${left}, e este cinema não reserva assim. ${fix}`
    : `${left}. Este cinema reserva assim mesmo; se puder, ${fix.charAt(0).toLowerCase()}${fix.slice(1)}`;
}
