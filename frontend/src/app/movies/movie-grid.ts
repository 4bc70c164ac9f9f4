import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/**
 * The grid movie cards are laid out in: two columns on a phone, three on a
 * tablet, five on a wide screen. Shared by the lists and their placeholders so
 * both take the same room.
 */
export const MOVIE_GRID_STYLES = `
  .grid { display: grid; gap: var(--space-5) var(--space-4); grid-template-columns: repeat(2, 1fr);
    list-style: none; margin: 0; padding: 0; }
  @media (min-width: 40rem) { .grid { grid-template-columns: repeat(3, 1fr); } }
  @media (min-width: 64rem) { .grid { grid-template-columns: repeat(5, 1fr); } }
`;

/**
 * Placeholder cards while a movie list loads, shaped like app-movie-card (a
 * 2:3 poster, a title line and a meta line) in the list's own grid, so the
 * list arriving moves nothing below it. Announced once to screen readers.
 */
@Component({
  selector: 'app-movie-grid-skeleton',
  template: `
    <div aria-busy="true">
      <span class="visually-hidden" role="status">{{ label() }}</span>
      <div class="grid" aria-hidden="true">
        @for (i of cards(); track i) {
          <div class="card">
            <div class="poster"></div>
            <div class="line title"></div>
            <div class="line meta"></div>
          </div>
        }
      </div>
    </div>
  `,
  styles: `
    ${MOVIE_GRID_STYLES}
    .card { display: flex; flex-direction: column; gap: var(--space-1); }
    .poster { aspect-ratio: 2 / 3; border-radius: var(--radius-md); background: var(--color-surface-sunken); }
    .line { border-radius: var(--radius-sm); background: var(--color-surface-sunken); }
    .title { height: calc(var(--text-md) * var(--leading-tight)); margin-top: var(--space-1); width: 80%; }
    .meta { height: calc(var(--text-sm) * var(--leading-normal)); width: 60%; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MovieGridSkeleton {
  readonly label = input('Carregando filmes…');
  readonly count = input(4);
  protected readonly cards = computed(() => Array.from({ length: this.count() }, (_, i) => i));
}
