import { Injectable, computed, inject, signal } from '@angular/core';
import { API_CLIENT, ApiError, type Schemas, unwrap } from '../api/api-client';
import type { ProblemMessage } from '../api/problem-message';
import type { SeatPick } from './seat-selection-store';

export type Hold = Schemas['Hold'];

/** What this tab remembers of its hold: the id only, the rest is read back with getHold. */
interface SavedHold {
  id: string;
  showtimeId: string;
}

const KEY = 'bilhetagem.hold';

/** The notice the seat page shows after a hold ran out. */
export const HOLD_EXPIRED: ProblemMessage = {
  kind: 'error',
  code: 'hold_expired',
  title: 'Sua reserva expirou',
  detail: 'O tempo para concluir a compra acabou e os assentos foram liberados. Escolha de novo.',
};

/**
 * The buyer's seat hold across the purchase steps. Only its id (and
 * showtime) is kept in sessionStorage, so a reload reads it back with getHold;
 * prices, total and expiry always come from the server.
 */
@Injectable({ providedIn: 'root' })
export class HoldStore {
  private readonly api = inject(API_CLIENT);

  /** The active hold, once created or read back. */
  readonly hold = signal<Hold | null>(null);
  /** The hold remembered in this tab (it may not be read back yet). */
  readonly saved = signal<SavedHold | null>(readSaved());
  /** Why the last hold ended without the buyer asking (it expired); shown on the seat page. */
  readonly notice = signal<ProblemMessage | null>(null);
  /** Bumped when seats were freed on the server after the hold was forgotten here: live maps read again. */
  readonly freed = signal(0);

  readonly showtimeId = computed(() => this.hold()?.showtimeId ?? this.saved()?.showtimeId ?? null);

  /** The Idempotency-Key of the Reservar attempt not yet answered with a hold, and the body it was made for. */
  private attempt: { body: string; key: string } | null = null;

  /**
   * createHold: all the seats or none, with the waiting room's admission
   * token when the showtime is in premiere mode. Throws the ApiError on refusal.
   * It sends an Idempotency-Key made once per attempt: a retry of the same
   * seats whose answer was lost gets the hold it made instead of 409
   * `active_hold_exists`. Other seats, or a hold already made, start a new
   * attempt with a new key.
   */
  async create(showtimeId: string, seats: readonly SeatPick[], admissionToken?: string): Promise<Hold> {
    const body = { showtimeId, seats: seats.map((s) => ({ ...s })) };
    const json = JSON.stringify(body);
    if (this.attempt?.body !== json) this.attempt = { body: json, key: crypto.randomUUID() };
    const header: { 'Idempotency-Key': string; 'X-Waiting-Room-Token'?: string } = { 'Idempotency-Key': this.attempt.key };
    if (admissionToken) header['X-Waiting-Room-Token'] = admissionToken;
    const hold = unwrap(await this.api.POST('/holds', { params: { header }, body }));
    this.attempt = null;
    this.notice.set(null);
    this.keep(hold);
    return hold;
  }

  /**
   * The active hold: the one in memory, or the saved one read back with
   * getHold. A hold that ended (expired, released, gone) is forgotten; an
   * expired one leaves the "expirou" notice. Network failures are thrown.
   */
  async restore(): Promise<Hold | null> {
    const saved = this.saved();
    if (!saved) return null;
    const inMemory = this.hold();
    if (inMemory?.id === saved.id) {
      if (isLive(inMemory)) return inMemory;
      this.expire();
      return null;
    }
    let hold: Hold;
    try {
      hold = unwrap(await this.api.GET('/holds/{holdId}', { params: { path: { holdId: saved.id } } }));
    } catch (err) {
      // A 401 is the session, not the hold: it stays for when the buyer has signed in again.
      if (err instanceof ApiError && (err.status === 404 || err.status === 403)) {
        this.clear();
        return null;
      }
      throw err;
    }
    if (hold.status === 'EXPIRED' || ((hold.status === 'ACTIVE' || hold.status === 'ORDERED') && !isLive(hold))) {
      this.expire();
      return null;
    }
    if (hold.status !== 'ACTIVE' && hold.status !== 'ORDERED') {
      this.clear();
      return null;
    }
    this.keep(hold);
    return hold;
  }

  /**
   * The buyer's live hold on a showtime that this tab does not know (made
   * in another tab, or by a Reservar whose answer was lost), found with
   * listMyHolds and kept here, so it can be continued or released. Null
   * when there is none. Failures are thrown.
   */
  async adopt(showtimeId: string): Promise<Hold | null> {
    const list = unwrap(await this.api.GET('/me/holds'));
    const mine = list.items.find(
      (h) => h.showtimeId === showtimeId && (h.status === 'ACTIVE' || h.status === 'ORDERED') && isLive(h),
    );
    if (!mine) return null;
    this.attempt = null;
    this.keep(mine);
    return mine;
  }

  /** releaseHold (DELETE): the seats are free at once. */
  async release(): Promise<void> {
    const id = this.hold()?.id ?? this.saved()?.id;
    if (!id) return;
    unwrap(await this.api.DELETE('/holds/{holdId}', { params: { path: { holdId: id } } }));
    this.clear();
  }

  /**
   * The countdown reached zero (or getHold said EXPIRED): forget the hold,
   * leave the notice, and tell the server too (releasing an expired hold is
   * a no-op there, and frees the seats at once if this clock runs ahead).
   */
  expire(): void {
    const id = this.hold()?.id ?? this.saved()?.id;
    this.clear();
    this.notice.set(HOLD_EXPIRED);
    if (id) {
      this.api
        .DELETE('/holds/{holdId}', { params: { path: { holdId: id } } })
        .then(() => this.freed.update((n) => n + 1))
        .catch(() => undefined);
    }
  }

  clear(): void {
    this.hold.set(null);
    this.saved.set(null);
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // storage off
    }
  }

  private keep(hold: Hold): void {
    const saved = { id: hold.id, showtimeId: hold.showtimeId };
    this.hold.set(hold);
    this.saved.set(saved);
    try {
      sessionStorage.setItem(KEY, JSON.stringify(saved));
    } catch {
      // storage off: the hold lasts as long as the page
    }
  }
}

function isLive(hold: Hold): boolean {
  return Date.parse(hold.expiresAt) > Date.now();
}

function readSaved(): SavedHold | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as SavedHold | null;
    return s && typeof s.id === 'string' && typeof s.showtimeId === 'string' ? s : null;
  } catch {
    return null;
  }
}
