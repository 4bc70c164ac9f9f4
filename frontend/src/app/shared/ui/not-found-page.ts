import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';
import { EmptyState } from './page-states';

@Component({
  selector: 'app-not-found-page',
  imports: [RouterLink, EmptyState],
  template: `
    <h1>Página não encontrada</h1>
    <app-empty-state message="O endereço não existe ou mudou."><a routerLink="/">Ver filmes em cartaz</a></app-empty-state>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotFoundPage {}
