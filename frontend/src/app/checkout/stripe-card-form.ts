import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import type { Schemas } from '../api/api-client';
import type { ProblemMessage } from '../api/problem-message';
import { BrlPipe } from '../shared/locale/pipes';
import { Notice } from '../shared/ui/page-states';
import { Installments } from './installments';
import { type MountedCard, StripeCardError, StripeService } from './stripe.service';

/** What the card part says when Stripe.js or its element cannot be loaded. */
export const STRIPE_UNAVAILABLE: ProblemMessage = {
  kind: 'error',
  code: 'stripe_unavailable',
  title: 'Não foi possível carregar o pagamento com cartão.',
  detail: 'Verifique a conexão ou pague com Pix.',
};

/**
 * The card part of Pagamento with Stripe: Stripe's Payment Element (cards
 * only) where the simulator's test-card form is, the same "Pagar" button.
 * Stripe.js is loaded when this form is first shown. "Pagar" validates the
 * element and emits the PaymentMethod (`pm_…`) as the card token; the page
 * sends it with createPayment and runs any 3-D Secure step.
 */
@Component({
  selector: 'app-stripe-card-form',
  imports: [BrlPipe, Notice, Installments],
  template: `
    <form class="panel" (submit)="submit($event)" aria-labelledby="card-title" data-testid="stripe-card">
      <h2 id="card-title">Cartão de crédito</h2>
      @switch (state()) {
        @case ('loading') {
          <p role="status" class="muted" data-testid="stripe-loading">Carregando o pagamento com cartão…</p>
        }
        @case ('unavailable') {
          <app-notice [message]="unavailable" [retryable]="true" (retry)="mount()" data-testid="stripe-unavailable">
            <button type="button" class="btn btn-secondary" (click)="usePix.emit()">Pagar com Pix</button>
          </app-notice>
        }
      }
      <div #host class="element" [hidden]="state() === 'unavailable'" data-testid="stripe-element"></div>
      @if (error(); as message) {
        <p role="alert" class="error" data-testid="card-error">{{ message }}</p>
      }
      @if (state() === 'ready') {
        <app-installments [total]="total()" [(count)]="installments" />
        <p class="muted">Os dados do cartão vão direto para a Stripe, que processa o pagamento; não passam pelo Bilhetagem.</p>
      }
      <button type="submit" class="btn btn-primary" [disabled]="state() !== 'ready' || working() || paying()">
        {{ working() || paying() ? 'Pagando…' : 'Pagar ' + (total() | brl) }}
      </button>
    </form>
  `,
  styles: `
    :host { display: block; }
    .panel { display: grid; gap: var(--space-3); padding: var(--space-4); margin-bottom: var(--space-4);
      background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    h2 { margin: 0; font-size: var(--text-lg); }
    p { margin: 0; }
    .muted { color: var(--color-text-muted); }
    .error { color: var(--color-danger); font-weight: var(--weight-semibold); }
    .element:empty { display: none; }
    app-notice button { margin-left: var(--space-2); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StripeCardForm {
  readonly total = input.required<Schemas['Money']>();
  /** The page is sending the payment or following it. */
  readonly paying = input(false);
  /** The card token (`pm_…`) and the installments, for createPayment. */
  readonly pay = output<Schemas['CardPaymentRequest']>();
  readonly usePix = output<void>();

  private readonly stripe = inject(StripeService);
  private readonly injector = inject(Injector);
  private readonly host = viewChild.required<ElementRef<HTMLElement>>('host');
  protected readonly unavailable = STRIPE_UNAVAILABLE;
  protected readonly state = signal<'loading' | 'ready' | 'unavailable'>('loading');
  protected readonly working = signal(false);
  protected readonly installments = signal(1);
  /** Stripe's own message when it refuses what was typed. */
  protected readonly error = signal<string | null>(null);
  private card: MountedCard | undefined;
  private destroyed = false;

  constructor() {
    inject(DestroyRef).onDestroy(() => {
      this.destroyed = true;
      this.card?.destroy();
    });
    afterNextRender(() => void this.mount());
  }

  protected async mount(): Promise<void> {
    this.state.set('loading');
    this.error.set(null);
    try {
      const card = await this.stripe.mountCard(this.host().nativeElement, this.total());
      if (this.destroyed) return card.destroy();
      this.card = card;
      this.state.set('ready');
    } catch {
      if (!this.destroyed) this.state.set('unavailable');
    }
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.card || this.working() || this.paying()) return;
    this.working.set(true);
    this.error.set(null);
    try {
      const token = await this.card.createPaymentMethod();
      // Parcelas go to Stripe as the plan the buyer chose (ADR 0700).
      this.pay.emit({ token, installments: this.installments() });
    } catch (err) {
      this.error.set(err instanceof StripeCardError ? err.message : 'Não foi possível validar o cartão. Tente de novo.');
      // Back to the card fields to correct them; the message above is announced.
      afterNextRender(() => this.card?.focus(), { injector: this.injector });
    } finally {
      this.working.set(false);
    }
  }
}
