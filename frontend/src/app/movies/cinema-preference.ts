import { Injectable, signal } from '@angular/core';

const KEY = 'bilhetagem.cinema';

/** The cinema the buyer picked, remembered on this device. Empty means all. */
@Injectable({ providedIn: 'root' })
export class CinemaPreference {
  readonly cinemaId = signal<string>(read());

  set(id: string): void {
    this.cinemaId.set(id);
    try {
      if (id) localStorage.setItem(KEY, id);
      else localStorage.removeItem(KEY);
    } catch {
      // storage may be off (private mode); the choice still lasts the visit
    }
  }
}

function read(): string {
  try {
    return localStorage.getItem(KEY) ?? '';
  } catch {
    return '';
  }
}
