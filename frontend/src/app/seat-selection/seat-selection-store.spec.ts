import { TestBed } from '@angular/core/testing';
import { SeatSelectionStore } from './seat-selection-store';
import type { Seat } from './seat-rules';

const seats: Seat[] = ['F1', 'F2', 'F3'].map((id, i) => ({
  id, row: 'F', number: i + 1, x: i, y: 0, type: 'STANDARD', status: 'AVAILABLE', yours: false,
}));

describe('SeatSelectionStore', () => {
  let store: SeatSelectionStore;
  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({ providers: [SeatSelectionStore] });
    store = TestBed.inject(SeatSelectionStore);
    store.open('st-1');
  });

  it('gives a new seat the inteira ticket and keeps types across other changes', () => {
    store.toggle(seats[0], seats);
    store.toggle(seats[1], seats);
    expect(store.setTicketType('F2', 'MEIA_ESTUDANTE', 5)).toBe(true);
    store.toggle(seats[2], seats);
    expect(store.picks()).toEqual([
      { seatId: 'F1', ticketType: 'INTEIRA' },
      { seatId: 'F2', ticketType: 'MEIA_ESTUDANTE' },
      { seatId: 'F3', ticketType: 'INTEIRA' },
    ]);
    expect(store.meiaCount()).toBe(1);
  });

  it('refuses a meia beyond what the showtime has left', () => {
    store.toggle(seats[0], seats);
    store.toggle(seats[1], seats);
    expect(store.setTicketType('F1', 'MEIA_IDOSO', 1)).toBe(true);
    expect(store.setTicketType('F2', 'MEIA_ESTUDANTE', 1)).toBe(false);
    expect(store.refused()).toBe('Restam 1 meia-entrada(s) nesta sessão; você já escolheu 1.');
    expect(store.picks()[1].ticketType).toBe('INTEIRA');
    // changing one meia into another does not count twice
    expect(store.setTicketType('F1', 'MEIA_PROFESSOR', 1)).toBe(true);
  });

  it('says when the meia is sold out', () => {
    store.toggle(seats[0], seats);
    expect(store.setTicketType('F1', 'MEIA_ESTUDANTE', 0)).toBe(false);
    expect(store.refused()).toBe('A meia-entrada desta sessão esgotou.');
  });

  it('keeps the picks of a showtime in this tab, e.g. across the login round trip', () => {
    store.toggle(seats[0], seats);
    store.setTicketType('F1', 'MEIA_PCD', 3);
    TestBed.tick();
    const again = TestBed.runInInjectionContext(() => new SeatSelectionStore());
    again.open('st-1');
    expect(again.picks()).toEqual([{ seatId: 'F1', ticketType: 'MEIA_PCD' }]);
    again.open('st-2');
    expect(again.picks()).toEqual([]);
  });

  it('ignores a tampered saved selection', () => {
    sessionStorage.setItem('bilhetagem.seats.st-9', JSON.stringify([{ seatId: 'F1', ticketType: 'GRATIS' }, 'x']));
    store.open('st-9');
    expect(store.picks()).toEqual([]);
  });

  it('drops seats taken by someone else', () => {
    store.toggle(seats[0], seats);
    store.toggle(seats[1], seats);
    store.drop(['F1']);
    expect(store.seatIds()).toEqual(['F2']);
  });
});
