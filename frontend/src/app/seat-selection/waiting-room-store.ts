import { Injectable, inject, signal } from '@angular/core';
import { API_CLIENT, type Schemas, unwrap } from '../api/api-client';

export type WaitingRoomEntry = Schemas['WaitingRoomEntry'];

/** What this tab keeps of its place in a showtime's queue. */
interface SavedEntry {
  entryId: string;
  token?: string;
  /** epoch ms of admissionExpiresAt */
  tokenExpiresAt?: number;
}

const KEY_PREFIX = 'bilhetagem.fila.';

/**
 * The buyer's place in the waiting room of a showtime in premiere mode
 * (enterWaitingRoom, getWaitingRoomEntry) and its admission token, which
 * createHold needs in `X-Waiting-Room-Token` until `admissionExpiresAt`.
 * Only ids and the token are kept in sessionStorage, so a reload keeps the
 * place in line (entering again answers the same entry).
 */
@Injectable({ providedIn: 'root' })
export class WaitingRoomStore {
  private readonly api = inject(API_CLIENT);

  /** The showtime whose hold the seat page should retry at once (the buyer was just admitted). */
  readonly resume = signal<string | null>(null);

  /** A live admission token for the showtime, if this tab has one. */
  tokenFor(showtimeId: string): string | undefined {
    const s = read(showtimeId);
    return s?.token && (s.tokenExpiresAt ?? 0) > Date.now() ? s.token : undefined;
  }

  /** The entry this tab holds for the showtime, if any. */
  savedEntryId(showtimeId: string): string | undefined {
    return read(showtimeId)?.entryId;
  }

  /** enterWaitingRoom: a new place, or the existing one (200). */
  async enter(showtimeId: string): Promise<WaitingRoomEntry> {
    return this.keep(unwrap(await this.api.POST('/waiting-room/entries', { body: { showtimeId } })));
  }

  /** getWaitingRoomEntry: position, ETA and, once admitted, the token. */
  async read(entryId: string): Promise<WaitingRoomEntry> {
    return this.keep(unwrap(await this.api.GET('/waiting-room/entries/{entryId}', { params: { path: { entryId } } })));
  }

  forget(showtimeId: string): void {
    try {
      sessionStorage.removeItem(KEY_PREFIX + showtimeId);
    } catch {
      // storage off
    }
  }

  private keep(entry: WaitingRoomEntry): WaitingRoomEntry {
    const saved: SavedEntry = { entryId: entry.id };
    if (entry.admissionToken && entry.admissionExpiresAt && (entry.status === 'ADMITTED' || entry.status === 'BYPASSED')) {
      saved.token = entry.admissionToken;
      saved.tokenExpiresAt = Date.parse(entry.admissionExpiresAt);
    }
    try {
      sessionStorage.setItem(KEY_PREFIX + entry.showtimeId, JSON.stringify(saved));
    } catch {
      // storage off: the place lasts as long as the page
    }
    return entry;
  }
}

/** An entry that lets the buyer hold seats now. */
export function admitted(entry: WaitingRoomEntry): boolean {
  return (entry.status === 'ADMITTED' || entry.status === 'BYPASSED') && !!entry.admissionToken;
}

function read(showtimeId: string): SavedEntry | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY_PREFIX + showtimeId) ?? 'null') as SavedEntry | null;
    return s && typeof s.entryId === 'string' ? s : null;
  } catch {
    return null;
  }
}
