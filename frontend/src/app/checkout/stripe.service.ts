import { DOCUMENT } from '@angular/common';
import { Injectable, InjectionToken, inject } from '@angular/core';
import type { Schemas } from '../api/api-client';
import { PAYMENTS_CONFIG } from './payments-config';

// The small part of Stripe.js v3 the payment page uses, typed here: Stripe
// requires Stripe.js to be loaded from js.stripe.com, never bundled, and the
// project takes no npm package for it (docs/adr/0700, SPA).

/** An error as Stripe.js returns it: `message` is written for the buyer, in the locale asked for. */
export interface StripeJsError {
  type: string;
  code?: string;
  message?: string;
}

/** The Payment Element (https://docs.stripe.com/js/element/payment_element). */
export interface StripePaymentElement {
  mount(host: HTMLElement): void;
  on(event: 'ready' | 'loaderror', handler: (event: { error?: StripeJsError }) => void): void;
  focus(): void;
  destroy(): void;
}

/** An Elements group created without an Intent: the PaymentIntent is created and confirmed by our server. */
export interface StripeElements {
  create(type: 'payment', options: Record<string, unknown>): StripePaymentElement;
  submit(): Promise<{ error?: StripeJsError }>;
}

/** The Stripe object `Stripe(publishableKey)` returns. */
export interface StripeJs {
  elements(options: {
    mode: 'payment';
    amount: number;
    currency: string;
    paymentMethodCreation: 'manual';
    paymentMethodTypes: string[];
    locale?: string;
  }): StripeElements;
  createPaymentMethod(options: { elements: StripeElements }): Promise<{ paymentMethod?: { id: string }; error?: StripeJsError }>;
  handleNextAction(options: { clientSecret: string }): Promise<{ paymentIntent?: { id: string; status: string }; error?: StripeJsError }>;
}

export type StripeConstructor = (publishableKey: string, options?: { locale?: string }) => StripeJs;

export const STRIPE_JS_URL = 'https://js.stripe.com/v3/';

/**
 * Adds Stripe.js's script tag (once per document) and answers the Stripe
 * object for the key. A tag that failed to load is removed, so the next call
 * tries again.
 */
export function loadStripeJs(publishableKey: string, doc: Document = document): Promise<StripeJs> {
  const win = doc.defaultView as (Window & { Stripe?: StripeConstructor }) | null;
  const make = () => {
    if (!win?.Stripe) throw new Error('Stripe.js loaded without window.Stripe');
    return win.Stripe(publishableKey, { locale: 'pt-BR' });
  };
  if (win?.Stripe) return Promise.resolve(make());
  return new Promise<StripeJs>((resolve, reject) => {
    let script = doc.querySelector<HTMLScriptElement>(`script[src="${STRIPE_JS_URL}"]`);
    if (!script) {
      script = doc.createElement('script');
      script.src = STRIPE_JS_URL;
      script.async = true;
      doc.head.appendChild(script);
    }
    const tag = script;
    tag.addEventListener('load', () => {
      try {
        resolve(make());
      } catch (err) {
        reject(err);
      }
    });
    tag.addEventListener('error', () => {
      tag.remove();
      reject(new Error(`could not load ${STRIPE_JS_URL}`));
    });
  });
}

/** Loads Stripe.js for a publishable key; a token so tests hand the page a fake Stripe object. */
export const STRIPE_LOADER = new InjectionToken<(publishableKey: string) => Promise<StripeJs>>('STRIPE_LOADER', {
  providedIn: 'root',
  factory: () => {
    const doc = inject(DOCUMENT);
    return (key: string) => loadStripeJs(key, doc);
  },
});

/** Stripe.js could not be loaded (offline, blocked): the buyer can still pay with Pix. */
export class StripeUnavailableError extends Error {}

/** Stripe refused what was typed, or the bank's confirmation failed; `message` is Stripe's, for the buyer. */
export class StripeCardError extends Error {
  constructor(readonly stripe: StripeJsError) {
    super(stripe.message ?? 'Confira os dados do cartão.');
  }
}

/** A Payment Element on the page, for cards only. */
export interface MountedCard {
  /** Validates the element and makes the PaymentMethod (`pm_…`) to send as `card.token`. */
  createPaymentMethod(): Promise<string>;
  focus(): void;
  destroy(): void;
}

/**
 * Stripe on the payment page: loads Stripe.js once, on demand (the first
 * time a card form is shown with Stripe configured; never with the
 * simulator), mounts a card-only Payment Element, turns it into a
 * PaymentMethod, and runs the 3-D Secure step of a PENDING payment.
 */
@Injectable({ providedIn: 'root' })
export class StripeService {
  private readonly config = inject(PAYMENTS_CONFIG);
  private readonly loader = inject(STRIPE_LOADER);
  private stripe: Promise<StripeJs> | undefined;

  /** Whether cards go through Stripe in this environment. */
  get enabled(): boolean {
    return this.config.provider === 'stripe';
  }

  /** Stripe.js for the configured key, loaded at most once (again only after a failure). */
  load(): Promise<StripeJs> {
    const config = this.config;
    if (config.provider !== 'stripe') return Promise.reject(new StripeUnavailableError('payments use the simulator'));
    this.stripe ??= this.loader(config.publishableKey).catch((err: unknown) => {
      this.stripe = undefined;
      throw new StripeUnavailableError(err instanceof Error ? err.message : String(err));
    });
    return this.stripe;
  }

  /** Mounts a Payment Element restricted to cards for the order's total; resolves once it is ready. */
  async mountCard(host: HTMLElement, total: Schemas['Money']): Promise<MountedCard> {
    const stripe = await this.load();
    const elements = stripe.elements({
      mode: 'payment',
      amount: total.amount,
      currency: total.currency.toLowerCase(),
      // Our server creates and confirms the PaymentIntent with the PaymentMethod (ADR 0700).
      paymentMethodCreation: 'manual',
      paymentMethodTypes: ['card'],
      locale: 'pt-BR',
    });
    const element = elements.create('payment', { layout: 'tabs', wallets: { applePay: 'never', googlePay: 'never' } });
    const ready = new Promise<void>((resolve, reject) => {
      element.on('ready', () => resolve());
      element.on('loaderror', (e) => reject(new StripeUnavailableError(e.error?.message ?? 'the Payment Element did not load')));
    });
    element.mount(host);
    try {
      await ready;
    } catch (err) {
      element.destroy();
      throw err;
    }
    return {
      async createPaymentMethod() {
        const submitted = await elements.submit();
        if (submitted.error) throw new StripeCardError(submitted.error);
        const { paymentMethod, error } = await stripe.createPaymentMethod({ elements });
        if (error || !paymentMethod) throw new StripeCardError(error ?? { type: 'api_error' });
        return paymentMethod.id;
      },
      focus: () => element.focus(),
      destroy: () => element.destroy(),
    };
  }

  /** 3-D Secure: Stripe.js shows the bank's challenge; resolves when the buyer passed it, throws StripeCardError when not. */
  async handleNextAction(clientSecret: string): Promise<void> {
    const stripe = await this.load();
    const { error } = await stripe.handleNextAction({ clientSecret });
    if (error) throw new StripeCardError(error);
  }
}
