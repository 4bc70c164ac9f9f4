import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';

/**
 * A poster image over a title-card fallback, so a missing or slow image
 * never leaves a hole. The image is decorative: the title is always text
 * next to it.
 */
@Component({
  selector: 'app-movie-poster',
  template: `
    <div class="poster">
      <span class="fallback" aria-hidden="true">{{ title() }}</span>
      @if (!failed()) {
        <img [src]="src()" alt="" loading="lazy" decoding="async" (error)="failed.set(true)" />
      }
      <ng-content />
    </div>
  `,
  styles: `
    .poster { position: relative; aspect-ratio: 2 / 3; border-radius: var(--radius-md); overflow: hidden;
      background: linear-gradient(160deg, var(--color-primary) 0%, var(--color-header) 70%); }
    .fallback { position: absolute; inset: auto var(--space-3) var(--space-3); color: var(--color-on-header);
      font-weight: var(--weight-bold); font-size: var(--text-lg); line-height: var(--leading-tight); }
    img { position: absolute; inset: 0; width: 100%; height: 100%; object-fit: cover; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MoviePoster {
  readonly src = input.required<string>();
  readonly title = input.required<string>();
  protected readonly failed = signal(false);
}
