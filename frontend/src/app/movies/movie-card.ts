import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { Schemas } from '../api/api-client';
import { formatLongDate, formatRuntime } from '../shared/locale/format';
import { AgeRatingBadge } from './age-rating-badge';
import { MoviePoster } from './movie-poster';

/** A movie in a list: poster, rating, title, genres and runtime or release day. */
@Component({
  selector: 'app-movie-card',
  imports: [RouterLink, AgeRatingBadge, MoviePoster],
  template: `
    <a class="card" [routerLink]="['/filmes', movie().id]">
      <app-movie-poster [src]="movie().posterUrl" [title]="movie().title">
        <app-age-rating-badge class="rating" [rating]="movie().ageRating" />
      </app-movie-poster>
      <span class="title">{{ movie().title }}</span>
      <span class="meta">{{ meta() }}</span>
    </a>
  `,
  styles: `
    .card { display: flex; flex-direction: column; gap: var(--space-1); color: inherit; text-decoration: none; }
    .card:hover .title { text-decoration: underline; }
    .rating { position: absolute; top: var(--space-2); left: var(--space-2); }
    .title { font-weight: var(--weight-semibold); font-size: var(--text-md); line-height: var(--leading-tight); margin-top: var(--space-1); }
    .meta { font-size: var(--text-sm); color: var(--color-text-muted); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MovieCard {
  readonly movie = input.required<Schemas['MovieSummary']>();
  protected readonly meta = computed(() => {
    const m = this.movie();
    if (m.status === 'COMING_SOON') return `Estreia em ${formatLongDate(m.releaseDate)}`;
    return `${m.genres.slice(0, 2).join(', ')} · ${formatRuntime(m.runtimeMinutes)}`;
  });
}
