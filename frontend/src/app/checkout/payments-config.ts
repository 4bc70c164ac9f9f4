import { InjectionToken } from '@angular/core';

/**
 * How this environment takes a card, from `/config.json`'s `payments`
 * (internal/spaconfig writes it). The simulator's test-card form, or Stripe's
 * Payment Element loaded with the account's publishable key (public by
 * design: it can only tokenize cards for this account). See docs/adr/0700.
 */
export type PaymentsConfig =
  /** pixPay: a local run's route that pays a pending Pix through the simulator ("/dev/psp/pix/{paymentId}/pay"). */
  | { provider: 'simulator'; pixPay?: string }
  | { provider: 'stripe'; publishableKey: string };

export const SIMULATED_PAYMENTS: PaymentsConfig = { provider: 'simulator' };

/**
 * The `payments` part of the runtime config. Absent, malformed, or Stripe
 * without a `pk_` key is the simulator: the same default as the server's
 * when it names no provider, and a build that never loads Stripe.js by mistake.
 */
export function paymentsConfigFrom(json: unknown): PaymentsConfig {
  const payments = (json as { payments?: Record<string, unknown> } | null)?.payments;
  const key = payments?.['publishableKey'];
  if (payments?.['provider'] === 'stripe' && typeof key === 'string' && key.startsWith('pk_')) {
    return { provider: 'stripe', publishableKey: key };
  }
  const pixPay = payments?.['simulatorPixPay'];
  if (payments?.['provider'] === 'simulator' && typeof pixPay === 'string' && pixPay.startsWith('/') && pixPay.includes('{paymentId}')) {
    return { provider: 'simulator', pixPay };
  }
  return SIMULATED_PAYMENTS;
}

/** The payment provider; main.ts provides what the runtime config says, tests get the simulator. */
export const PAYMENTS_CONFIG = new InjectionToken<PaymentsConfig>('PAYMENTS_CONFIG', {
  providedIn: 'root',
  factory: () => SIMULATED_PAYMENTS,
});
