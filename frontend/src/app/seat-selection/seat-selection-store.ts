import { Injectable, computed, effect, signal } from '@angular/core';
import { type Seat, type TicketTypeCode, toggleSeat } from './seat-rules';
import { TICKET_TYPES } from './ticket-type-labels';

export interface SeatPick {
  seatId: string;
  ticketType: TicketTypeCode;
}

const KEY_PREFIX = 'bilhetagem.seats.';

/**
 * The seats picked for one showtime, each with its ticket type. It is kept in
 * sessionStorage so a trip to the login page does not lose it.
 */
@Injectable()
export class SeatSelectionStore {
  readonly showtimeId = signal('');
  readonly picks = signal<SeatPick[]>([]);
  /** Why the last change was refused, in pt-BR; cleared by the next change. */
  readonly refused = signal<string | null>(null);

  readonly seatIds = computed(() => this.picks().map((p) => p.seatId));
  readonly meiaCount = computed(() => this.picks().filter((p) => TICKET_TYPES[p.ticketType].meia).length);

  constructor() {
    effect(() => {
      const id = this.showtimeId();
      if (!id) return;
      try {
        sessionStorage.setItem(KEY_PREFIX + id, JSON.stringify(this.picks()));
      } catch {
        // storage off: the picks last as long as the page
      }
    });
  }

  /** Starts on a showtime with what was picked for it in this tab. */
  open(showtimeId: string): void {
    let saved: SeatPick[] = [];
    try {
      const raw = JSON.parse(sessionStorage.getItem(KEY_PREFIX + showtimeId) ?? '[]') as SeatPick[];
      saved = Array.isArray(raw) ? raw.filter((p) => typeof p.seatId === 'string' && p.ticketType in TICKET_TYPES) : [];
    } catch {
      saved = [];
    }
    this.picks.set(saved);
    this.refused.set(null);
    this.showtimeId.set(showtimeId);
  }

  toggle(seat: Seat, seats: readonly Seat[]): void {
    const result = toggleSeat(this.seatIds(), seat, seats);
    this.refused.set(result.refused ?? null);
    const types = new Map(this.picks().map((p) => [p.seatId, p.ticketType]));
    this.picks.set(result.selected.map((seatId) => ({ seatId, ticketType: types.get(seatId) ?? 'INTEIRA' })));
  }

  /** Sets a seat's ticket type, refusing a meia beyond what the showtime has left. */
  setTicketType(seatId: string, ticketType: TicketTypeCode, meiaRemaining: number): boolean {
    const current = this.picks().find((p) => p.seatId === seatId);
    if (!current) return false;
    const othersMeia = this.meiaCount() - (TICKET_TYPES[current.ticketType].meia ? 1 : 0);
    if (TICKET_TYPES[ticketType].meia && othersMeia + 1 > meiaRemaining) {
      this.refused.set(
        meiaRemaining === 0
          ? 'A meia-entrada desta sessão esgotou.'
          : `Restam ${meiaRemaining} meia-entrada(s) nesta sessão; você já escolheu ${othersMeia}.`,
      );
      return false;
    }
    this.refused.set(null);
    this.picks.update((ps) => ps.map((p) => (p.seatId === seatId ? { ...p, ticketType } : p)));
    return true;
  }

  /** Drops seats someone else took, or the buyer removed. */
  drop(seatIds: readonly string[]): void {
    const gone = new Set(seatIds);
    this.picks.update((ps) => ps.filter((p) => !gone.has(p.seatId)));
  }
}
