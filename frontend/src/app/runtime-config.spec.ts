import { TestBed } from '@angular/core/testing';
import { AUTH_CONFIG, devAuthConfig } from './account/auth-config';
import { PAYMENTS_CONFIG, paymentsConfigFrom } from './checkout/payments-config';
import { loadRuntimeConfig, runtimeConfigFrom, runtimeConfigProviders } from './runtime-config';

const ORIGIN = 'http://localhost:8080';
const auth = { issuer: `${ORIGIN}/auth`, clientId: 'bilhetagem-local', flow: 'id_token' };
const served = (body: unknown) => (async () => Response.json(body)) as typeof fetch;

describe('runtime config: payments', () => {
  it('reads Stripe with its publishable key', () => {
    expect(paymentsConfigFrom({ auth, payments: { provider: 'stripe', publishableKey: 'pk_test_abc' } }))
      .toEqual({ provider: 'stripe', publishableKey: 'pk_test_abc' });
  });

  it.each([
    ['no payments part', { auth }],
    ['the simulator named', { auth, payments: { provider: 'simulator' } }],
    ['Stripe without a key', { auth, payments: { provider: 'stripe' } }],
    ['Stripe with a secret key instead of a publishable one', { auth, payments: { provider: 'stripe', publishableKey: 'sk_test_abc' } }],
    ['a provider the SPA does not know', { auth, payments: { provider: 'mercadopago', publishableKey: 'pk_x' } }],
    ['no document at all', null],
  ])('is the simulator with %s', (_, json) => {
    expect(paymentsConfigFrom(json)).toEqual({ provider: 'simulator' });
  });

  it('loads both parts from /config.json, each falling back on its own', async () => {
    const stripe = await loadRuntimeConfig(ORIGIN, served({ auth, payments: { provider: 'stripe', publishableKey: 'pk_test_abc' } }));
    expect(stripe.payments).toEqual({ provider: 'stripe', publishableKey: 'pk_test_abc' });
    expect(stripe.auth.clientId).toBe('bilhetagem-local');
    // Payments without an issuer: the development issuer, and the provider still read.
    expect(runtimeConfigFrom({ payments: { provider: 'stripe', publishableKey: 'pk_live_x' } }, ORIGIN))
      .toEqual({ auth: devAuthConfig(ORIGIN), payments: { provider: 'stripe', publishableKey: 'pk_live_x' } });
  });

  it('is the development issuer and the simulator when /config.json is missing, not JSON or unreachable', async () => {
    const html = (async () => new Response('<html>', { status: 200, headers: { 'Content-Type': 'text/html' } })) as typeof fetch;
    const missing = (async () => new Response('', { status: 404 })) as typeof fetch;
    const offline = (async () => { throw new TypeError('Failed to fetch'); }) as typeof fetch;
    for (const fetcher of [html, missing, offline]) {
      expect(await loadRuntimeConfig(ORIGIN, fetcher)).toEqual({ auth: devAuthConfig(ORIGIN), payments: { provider: 'simulator' } });
    }
  });

  it('provides what it read to the app, and the simulator when nothing is provided', () => {
    TestBed.configureTestingModule({});
    expect(TestBed.inject(PAYMENTS_CONFIG)).toEqual({ provider: 'simulator' });
    TestBed.resetTestingModule();
    const config = runtimeConfigFrom({ auth, payments: { provider: 'stripe', publishableKey: 'pk_test_abc' } }, ORIGIN);
    TestBed.configureTestingModule({ providers: runtimeConfigProviders(config) });
    expect(TestBed.inject(PAYMENTS_CONFIG)).toEqual({ provider: 'stripe', publishableKey: 'pk_test_abc' });
    expect(TestBed.inject(AUTH_CONFIG)).toBe(config.auth);
  });
});
