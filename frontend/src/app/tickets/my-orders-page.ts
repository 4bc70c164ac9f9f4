import { ChangeDetectionStrategy, Component, inject, resource } from '@angular/core';
import { RouterLink } from '@angular/router';
import { API_CLIENT, unwrap } from '../api/api-client';
import { problemMessage } from '../api/problem-message';
import { EmptyState, LoadingState, Notice } from '../shared/ui/page-states';

/** Meus pedidos: the buyer's orders (listMyOrders). */
@Component({
  selector: 'app-my-orders-page',
  imports: [RouterLink, LoadingState, EmptyState, Notice],
  template: `
    <h1>Meus pedidos</h1>
    @if (orders.isLoading()) {
      <app-loading-state label="Carregando seus pedidos…" [count]="2" />
    } @else if (orders.error(); as err) {
      <app-notice [message]="message(err, 'ver seus pedidos')" [retryable]="true" (retry)="orders.reload()" />
    } @else if (orders.value()?.length === 0) {
      <app-empty-state message="Você ainda não comprou ingressos."><a routerLink="/">Ver filmes em cartaz</a></app-empty-state>
    } @else {
      <ul role="list">
        @for (o of orders.value(); track o.id) {
          <li>{{ o.id }}</li>
        }
      </ul>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyOrdersPage {
  private readonly api = inject(API_CLIENT);
  protected readonly message = problemMessage;
  protected readonly orders = resource({
    loader: async () => unwrap(await this.api.GET('/me/orders')).items,
  });
}
