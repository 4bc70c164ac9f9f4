import { Injectable } from '@angular/core';
import { randomToken } from '../account/pkce';

/** What this tab remembers of the purchase attempt on its hold: ids and the key, never amounts. */
export interface OrderAttempt {
  holdId: string;
  /** The Idempotency-Key of createOrder for this hold and body. */
  key: string;
  /** The createOrder body the key was made for (JSON). */
  body: string;
  orderId?: string;
  paymentId?: string;
}

const KEY = 'bilhetagem.order';

/**
 * Keeps the order attempt of the hold in sessionStorage so a reload of
 * Pagamento reads the same order (getOrder) and payment (getPayment) back
 * instead of creating another, and so a retried "Criar pedido" sends the same
 * Idempotency-Key (the server replays the first answer). A changed body (the
 * buyer changed the bomboniere before any order existed) is a new attempt
 * with a new key, since the server refuses a key reused with another body.
 */
@Injectable({ providedIn: 'root' })
export class OrderAttempts {
  /** The attempt saved for `holdId`, if any. */
  get(holdId: string): OrderAttempt | null {
    const a = read();
    return a && a.holdId === holdId ? a : null;
  }

  /** The Idempotency-Key for creating the order of `holdId` with `body`: the saved one when nothing changed. */
  keyFor(holdId: string, body: unknown): string {
    const json = JSON.stringify(body);
    const saved = this.get(holdId);
    if (saved && saved.body === json) return saved.key;
    const attempt: OrderAttempt = { holdId, key: randomToken(16), body: json };
    write(attempt);
    return attempt.key;
  }

  setOrder(holdId: string, orderId: string): void {
    const saved = this.get(holdId);
    write({ ...(saved ?? { holdId, key: '', body: '' }), orderId });
  }

  setPayment(holdId: string, paymentId: string): void {
    const saved = this.get(holdId);
    if (saved) write({ ...saved, paymentId });
  }

  clear(): void {
    try {
      sessionStorage.removeItem(KEY);
    } catch {
      // storage off
    }
  }
}

function read(): OrderAttempt | null {
  try {
    const a = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as OrderAttempt | null;
    return a && typeof a.holdId === 'string' && typeof a.key === 'string' ? a : null;
  } catch {
    return null;
  }
}

function write(a: OrderAttempt): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(a));
  } catch {
    // storage off: the attempt lasts as long as the page
  }
}
