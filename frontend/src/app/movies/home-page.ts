import { ChangeDetectionStrategy, Component, inject, resource } from '@angular/core';
import { API_CLIENT, unwrap } from '../api/api-client';
import { problemMessage } from '../api/problem-message';
import { EmptyState, Notice } from '../shared/ui/page-states';
import { CinemaPicker } from './cinema-picker';
import { CinemaPreference } from './cinema-preference';
import { MovieCard } from './movie-card';
import { MOVIE_GRID_STYLES, MovieGridSkeleton } from './movie-grid';

/** Início: the movies now showing at the picked cinema, and those coming soon. */
@Component({
  selector: 'app-home-page',
  imports: [CinemaPicker, MovieCard, MovieGridSkeleton, EmptyState, Notice],
  template: `
    <h1 class="visually-hidden">Filmes</h1>
    <app-cinema-picker class="picker" [cinemas]="cinemas.hasValue() ? cinemas.value() : []" [cinemaId]="preference.cinemaId()" (cinemaIdChange)="preference.set($event)" />

    <section aria-labelledby="now-showing">
      <h2 id="now-showing">Em cartaz</h2>
      @if (nowShowing.isLoading()) {
        <!-- As many cards as a cinema usually shows: "Em breve" starts below the fold and is not pushed down when the list arrives. -->
        <app-movie-grid-skeleton label="Carregando filmes em cartaz…" [count]="10" />
      } @else if (nowShowing.error(); as err) {
        <app-notice [message]="message(err, 'carregar os filmes em cartaz')" [retryable]="true" (retry)="nowShowing.reload()" />
      } @else if (nowShowing.value()?.length === 0) {
        <app-empty-state message="Nenhum filme em cartaz neste cinema.">
          <button type="button" class="btn btn-secondary" (click)="preference.set('')">Ver todos os cinemas</button>
        </app-empty-state>
      } @else {
        <ul class="grid" role="list">
          @for (m of nowShowing.value(); track m.id) {
            <li><app-movie-card [movie]="m" /></li>
          }
        </ul>
      }
    </section>

    <section aria-labelledby="coming-soon">
      <h2 id="coming-soon">Em breve</h2>
      @if (comingSoon.isLoading()) {
        <app-movie-grid-skeleton label="Carregando estreias…" [count]="5" />
      } @else if (comingSoon.error(); as err) {
        <app-notice [message]="message(err, 'carregar as estreias')" [retryable]="true" (retry)="comingSoon.reload()" />
      } @else if (comingSoon.value()?.length === 0) {
        <app-empty-state message="Nenhuma estreia anunciada por enquanto." />
      } @else {
        <ul class="grid" role="list">
          @for (m of comingSoon.value(); track m.id) {
            <li><app-movie-card [movie]="m" /></li>
          }
        </ul>
      }
    </section>
  `,
  styles: `
    .picker { max-width: 24rem; margin-bottom: var(--space-5); }
    section + section { margin-top: var(--space-6); }
    ${MOVIE_GRID_STYLES}
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class HomePage {
  private readonly api = inject(API_CLIENT);
  protected readonly preference = inject(CinemaPreference);
  protected readonly message = problemMessage;

  protected readonly cinemas = resource({
    loader: async () => unwrap(await this.api.GET('/cinemas')).items,
  });

  protected readonly nowShowing = resource({
    params: () => ({ cinemaId: this.preference.cinemaId() || undefined }),
    loader: async ({ params }) =>
      unwrap(await this.api.GET('/movies', { params: { query: { status: 'NOW_SHOWING', cinemaId: params.cinemaId } } })).items,
  });

  protected readonly comingSoon = resource({
    loader: async () => unwrap(await this.api.GET('/movies', { params: { query: { status: 'COMING_SOON' } } })).items,
  });
}
