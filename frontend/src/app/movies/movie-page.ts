import { ChangeDetectionStrategy, Component, computed, inject, input, linkedSignal, resource } from '@angular/core';
import { RouterLink } from '@angular/router';
import { API_CLIENT, unwrap } from '../api/api-client';
import { problemMessage } from '../api/problem-message';
import { formatLongDate, formatRuntime, spDate } from '../shared/locale/format';
import { EmptyState, LoadingState, Notice } from '../shared/ui/page-states';
import { DateStrip } from '../showtimes/date-strip';
import { groupShowtimes } from '../showtimes/group-showtimes';
import { ShowtimeChips } from '../showtimes/showtime-chips';
import { AgeRatingBadge } from './age-rating-badge';
import { CinemaPicker } from './cinema-picker';
import { CinemaPreference } from './cinema-preference';
import { MoviePoster } from './movie-poster';

/** Filme: synopsis, rating, trailer, and the showtimes of a day by cinema and version. */
@Component({
  selector: 'app-movie-page',
  imports: [RouterLink, AgeRatingBadge, MoviePoster, CinemaPicker, DateStrip, ShowtimeChips, LoadingState, EmptyState, Notice],
  template: `
    <a class="back" routerLink="/">← Filmes</a>
    @if (movie.isLoading()) {
      <app-loading-state label="Carregando o filme…" [count]="1" />
    } @else if (movie.error(); as err) {
      <app-notice [message]="message(err, 'carregar o filme')" [retryable]="true" (retry)="movie.reload()" />
    } @else if (movie.value(); as m) {
      <div class="layout">
        <header class="head">
          <app-movie-poster class="poster" [src]="m.posterUrl" [title]="m.title" />
          <div>
            <h1>{{ m.title }}</h1>
            @if (m.originalTitle !== m.title) { <p class="original" lang="en">{{ m.originalTitle }}</p> }
            <p class="meta">
              <app-age-rating-badge [rating]="m.ageRating" />
              <span>{{ m.genres.join(', ') }} · {{ runtime() }}</span>
            </p>
            <p class="release">{{ releaseText() }}</p>
            <a class="trailer" [href]="m.trailerUrl" target="_blank" rel="noopener">▶ Ver trailer <span class="visually-hidden">(abre em nova aba)</span></a>
          </div>
        </header>

        <section class="synopsis" aria-labelledby="synopsis-title">
          <h2 id="synopsis-title">Sinopse</h2>
          <p>{{ m.synopsis }}</p>
          <p class="distributor">Distribuição: {{ m.distributor }}</p>
        </section>

        <section class="sessions" aria-labelledby="sessions-title">
          <h2 id="sessions-title">Sessões</h2>
          <app-date-strip [from]="firstDay()" [(selected)]="day" />
          <app-cinema-picker class="picker" [cinemas]="cinemas.hasValue() ? cinemas.value() : []"
            [cinemaId]="preference.cinemaId()" (cinemaIdChange)="preference.set($event)" />
          @if (showtimes.isLoading()) {
            <app-loading-state label="Carregando sessões…" [count]="2" />
          } @else if (showtimes.error(); as err) {
            <app-notice [message]="message(err, 'carregar as sessões')" [retryable]="true" (retry)="showtimes.reload()" />
          } @else if (groups().length === 0) {
            <app-empty-state message="Nenhuma sessão neste dia." />
          } @else {
            @for (g of groups(); track g.cinemaId) {
              <div class="cinema">
                <h3>{{ g.cinemaName }}</h3>
                @for (v of g.versions; track v.label) {
                  <p class="version">{{ v.label }}</p>
                  <app-showtime-chips [showtimes]="v.showtimes" />
                }
              </div>
            }
          }
        </section>
      </div>
    }
  `,
  styles: `
    .back { display: inline-block; margin-bottom: var(--space-3); }
    .head { display: grid; grid-template-columns: 7.5rem 1fr; gap: var(--space-4); align-items: start; }
    h1 { margin: 0; font-size: var(--text-2xl); line-height: var(--leading-tight); }
    .original { margin: var(--space-1) 0 0; color: var(--color-text-muted); font-style: italic; }
    .meta { display: flex; align-items: center; gap: var(--space-2); flex-wrap: wrap; margin: var(--space-2) 0; color: var(--color-text-muted); }
    .release { margin: 0 0 var(--space-2); color: var(--color-text-muted); font-size: var(--text-sm); }
    .trailer { display: inline-flex; align-items: center; min-height: var(--touch-target); font-weight: var(--weight-semibold); }
    .distributor { color: var(--color-text-muted); font-size: var(--text-sm); }
    .picker { max-width: 24rem; margin: var(--space-3) 0 var(--space-4); }
    .cinema { padding: var(--space-4); margin-bottom: var(--space-3); background: var(--color-surface);
      border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    .cinema h3 { margin: 0 0 var(--space-2); font-size: var(--text-lg); }
    .version { margin: var(--space-3) 0 var(--space-2); font-size: var(--text-sm); font-weight: var(--weight-semibold); color: var(--color-text-muted); }
    @media (min-width: 64rem) {
      .layout { display: grid; grid-template-columns: 1fr 1.4fr; gap: var(--space-6); }
      .head { grid-template-columns: 12rem 1fr; }
      h1 { font-size: var(--text-3xl); }
      .sessions { grid-column: 2; grid-row: 1 / span 2; }
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MoviePage {
  /** The :movieId route parameter. */
  readonly movieId = input.required<string>();

  private readonly api = inject(API_CLIENT);
  protected readonly preference = inject(CinemaPreference);
  protected readonly message = problemMessage;

  protected readonly movie = resource({
    params: () => ({ movieId: this.movieId() }),
    loader: async ({ params }) => unwrap(await this.api.GET('/movies/{movieId}', { params: { path: params } })),
  });

  protected readonly cinemas = resource({
    loader: async () => unwrap(await this.api.GET('/cinemas')).items,
  });

  /** Today in São Paulo, or the release day of a movie coming soon. */
  protected readonly firstDay = computed(() => {
    const today = spDate(new Date());
    const release = (this.movie.hasValue() ? this.movie.value().releaseDate : undefined) ?? today;
    return release > today ? release : today;
  });
  protected readonly day = linkedSignal(() => this.firstDay());

  protected readonly showtimes = resource({
    params: () => ({ movieId: this.movieId(), date: this.day(), cinemaId: this.preference.cinemaId() || undefined }),
    loader: async ({ params }) => unwrap(await this.api.GET('/showtimes', { params: { query: params } })).items,
  });

  protected readonly groups = computed(() => groupShowtimes(this.showtimes.hasValue() ? this.showtimes.value() : []));
  protected readonly runtime = computed(() => formatRuntime(this.movie.hasValue() ? this.movie.value().runtimeMinutes : 0));
  protected readonly releaseText = computed(() => {
    if (!this.movie.hasValue()) return '';
    const m = this.movie.value();
    return m.status === 'COMING_SOON' ? `Estreia em ${formatLongDate(m.releaseDate)}` : `Estreou em ${formatLongDate(m.releaseDate)}`;
  });
}
