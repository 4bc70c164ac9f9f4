import type { Provider } from '@angular/core';
import { AUTH_CONFIG, type AuthConfig, authConfigFrom, devAuthConfig } from './account/auth-config';
import { PAYMENTS_CONFIG, type PaymentsConfig, SIMULATED_PAYMENTS, paymentsConfigFrom } from './checkout/payments-config';

/**
 * `/config.json`, the one build's runtime config (docs/adr/0309, 0310, 0700):
 * where the buyer signs in, and which payment provider takes cards.
 */
export interface RuntimeConfig {
  auth: AuthConfig;
  payments: PaymentsConfig;
}

/** Each part falls back on its own: a config without `payments` still names its issuer. */
export function runtimeConfigFrom(json: unknown, origin: string): RuntimeConfig {
  return { auth: authConfigFrom(json, origin), payments: paymentsConfigFrom(json) };
}

/**
 * Reads /config.json once, before the app starts. No file, or not JSON: the
 * development issuer on this origin and the simulator, so `ng serve` and the
 * local server need nothing.
 */
export async function loadRuntimeConfig(origin: string, fetcher: typeof fetch = fetch): Promise<RuntimeConfig> {
  const fallback = { auth: devAuthConfig(origin), payments: SIMULATED_PAYMENTS };
  try {
    const res = await fetcher(`${origin}/config.json`, { headers: { Accept: 'application/json' }, cache: 'no-cache' });
    if (!res.ok || !(res.headers.get('Content-Type') ?? '').includes('json')) return fallback;
    return runtimeConfigFrom(await res.json(), origin);
  } catch {
    return fallback;
  }
}

/** What main.ts provides from the config it read. */
export function runtimeConfigProviders(config: RuntimeConfig): Provider[] {
  return [
    { provide: AUTH_CONFIG, useValue: config.auth },
    { provide: PAYMENTS_CONFIG, useValue: config.payments },
  ];
}
