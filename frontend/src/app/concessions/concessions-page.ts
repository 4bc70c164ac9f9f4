import { ChangeDetectionStrategy, Component, computed, inject, resource } from '@angular/core';
import { RouterLink } from '@angular/router';
import { API_CLIENT, unwrap } from '../api/api-client';
import { problemMessage } from '../api/problem-message';
import { NO_HOLD, injectActiveHold } from '../seat-selection/active-hold';
import { HoldStatus } from '../seat-selection/hold-status';
import { HoldSummary } from '../seat-selection/hold-summary';
import { BrlPipe } from '../shared/locale/pipes';
import { LoadingState, Notice } from '../shared/ui/page-states';
import { Stepper } from '../shared/ui/stepper';

/**
 * Bomboniere, the step after the seats: the hold's countdown and summary, and
 * the ranked suggestions for the hold (listHoldRecommendations) when the API
 * has them; until then its "ainda não disponível" state, never a fake list.
 */
@Component({
  selector: 'app-concessions-page',
  imports: [RouterLink, Stepper, HoldStatus, HoldSummary, LoadingState, Notice, BrlPipe],
  template: `
    <app-stepper [current]="1" />
    @if (active.state() === 'loading') {
      <app-loading-state label="Carregando sua reserva…" [count]="1" />
    } @else if (active.state() === 'error') {
      <app-notice [message]="active.problem()!" [retryable]="true" (retry)="active.reload()" />
    } @else if (active.hold(); as h) {
      <app-hold-status [hold]="h" />
      <h1>Bomboniere</h1>
      @if (recommendations.error(); as err) {
        <app-notice [message]="message(err, 'ver as sugestões da bomboniere')" data-testid="recommendations-problem" />
      } @else if (recommendations.hasValue()) {
        <ul class="recs" role="list" aria-label="Sugestões para você">
          @for (r of recommendations.value().items; track r.rank) {
            <li>
              <span class="name">{{ r.name }}</span>
              <span class="price">{{ r.price | brl }}</span>
              <span class="reason">{{ r.reason }}</span>
              @if (r.savings; as sv) { <span class="savings">Economize {{ sv | brl }}</span> }
            </li>
          }
        </ul>
      } @else {
        <app-loading-state label="Carregando sugestões…" [count]="2" />
      }
      <app-hold-summary [hold]="h" />
      <div class="actions">
        <a class="btn btn-secondary" [routerLink]="['/sessoes', h.showtimeId, 'assentos']">Ver assentos</a>
        <a class="btn btn-primary" routerLink="/compra/pagamento">Continuar</a>
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
    .recs { list-style: none; margin: 0 0 var(--space-4); padding: 0; display: grid; gap: var(--space-2); }
    .recs li { display: grid; grid-template-columns: 1fr auto; gap: var(--space-1) var(--space-2); padding: var(--space-3);
      background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    .name { font-weight: var(--weight-bold); }
    .reason { grid-column: 1 / -1; color: var(--color-text-muted); font-size: var(--text-sm); }
    .savings { justify-self: start; padding: var(--space-1) var(--space-2); border-radius: var(--radius-pill);
      background: var(--color-accent); color: var(--color-on-accent); font-weight: var(--weight-bold); font-size: var(--text-sm); }
    .actions { display: flex; gap: var(--space-3); justify-content: space-between; flex-wrap: wrap; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConcessionsPage {
  private readonly api = inject(API_CLIENT);
  protected readonly active = injectActiveHold();
  protected readonly message = problemMessage;
  protected readonly noHold = NO_HOLD;
  private readonly holdId = computed(() => this.active.hold()?.id);

  protected readonly recommendations = resource({
    params: () => (this.holdId() ? { holdId: this.holdId()! } : undefined),
    loader: async ({ params }) =>
      unwrap(await this.api.GET('/holds/{holdId}/recommendations', { params: { path: params, query: { limit: 3 } } })),
  });
}
