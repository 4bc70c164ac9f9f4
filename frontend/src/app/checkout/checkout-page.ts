import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { randomToken } from '../account/pkce';
import { API_CLIENT, type Schemas, unwrap } from '../api/api-client';
import { type ProblemMessage, problemMessage } from '../api/problem-message';
import { NO_HOLD, injectActiveHold } from '../seat-selection/active-hold';
import { HoldStatus } from '../seat-selection/hold-status';
import { HoldSummary } from '../seat-selection/hold-summary';
import { BrlPipe } from '../shared/locale/pipes';
import { LoadingState, Notice } from '../shared/ui/page-states';
import { Stepper } from '../shared/ui/stepper';

/**
 * Pagamento: the hold's countdown and summary, and "Criar pedido", which
 * calls createOrder. While orders answer 501 the buyer reads "ainda não
 * disponível" and the seats stay held; no fake payment is ever shown.
 */
@Component({
  selector: 'app-checkout-page',
  imports: [RouterLink, Stepper, HoldStatus, HoldSummary, LoadingState, Notice, BrlPipe],
  template: `
    <app-stepper [current]="2" />
    @if (active.state() === 'loading') {
      <app-loading-state label="Carregando sua reserva…" [count]="1" />
    } @else if (active.state() === 'error') {
      <app-notice [message]="active.problem()!" [retryable]="true" (retry)="active.reload()" />
    } @else if (active.hold(); as h) {
      <app-hold-status [hold]="h" />
      <h1>Pagamento</h1>
      <app-hold-summary [hold]="h" heading="Sua reserva" />
      @if (problem(); as p) {
        <app-notice [message]="p" data-testid="order-problem" />
      }
      @if (order(); as o) {
        <p role="status" class="ok" data-testid="order-created">
          Pedido criado, aguardando pagamento: total {{ o.totals.total | brl }}
          (ingressos {{ o.totals.tickets | brl }} + taxa de conveniência {{ o.totals.convenienceFee | brl }}@if (o.totals.concessions.amount > 0) { + bomboniere {{ o.totals.concessions | brl }}}).
          O pagamento por aqui ainda não está disponível.
        </p>
      }
      <div class="actions">
        <a class="btn btn-secondary" routerLink="/compra/bomboniere">Voltar</a>
        <button type="button" class="btn btn-primary" [disabled]="busy() || !!order()" (click)="createOrder(h)">
          {{ busy() ? 'Criando pedido…' : 'Criar pedido' }}
        </button>
      </div>
    } @else {
      <app-notice [message]="noHold" />
      <p><a routerLink="/">Ver filmes em cartaz</a></p>
    }
  `,
  styles: `
    :host { display: block; }
    app-stepper, app-hold-status, app-notice, app-hold-summary { display: block; margin-bottom: var(--space-4); }
    h1 { margin: 0 0 var(--space-3); font-size: var(--text-xl); }
    .ok { color: var(--color-success); font-weight: var(--weight-semibold); }
    .actions { display: flex; gap: var(--space-3); justify-content: space-between; flex-wrap: wrap; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CheckoutPage {
  private readonly api = inject(API_CLIENT);
  protected readonly active = injectActiveHold();
  protected readonly noHold = NO_HOLD;
  protected readonly busy = signal(false);
  protected readonly problem = signal<ProblemMessage | null>(null);
  protected readonly order = signal<Schemas['Order'] | null>(null);
  /** One key per logical "Criar pedido", reused by its retries (createOrder is idempotent on it). */
  private readonly idempotencyKey = randomToken(16);

  protected async createOrder(hold: Schemas['Hold']): Promise<void> {
    this.busy.set(true);
    this.problem.set(null);
    try {
      const order = unwrap(
        await this.api.POST('/orders', {
          params: { header: { 'Idempotency-Key': this.idempotencyKey } },
          body: { holdId: hold.id },
        }),
      );
      this.order.set(order);
    } catch (err) {
      this.problem.set(problemMessage(err, 'criar o pedido'));
    } finally {
      this.busy.set(false);
    }
  }
}
