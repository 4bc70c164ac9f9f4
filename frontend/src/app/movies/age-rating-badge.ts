import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { Schemas } from '../api/api-client';

const spoken: Record<Schemas['AgeRating'], string> = {
  L: 'Classificação livre para todos os públicos',
  '10': 'Não recomendado para menores de 10 anos',
  '12': 'Não recomendado para menores de 12 anos',
  '14': 'Não recomendado para menores de 14 anos',
  '16': 'Não recomendado para menores de 16 anos',
  '18': 'Não recomendado para menores de 18 anos',
};

/** The classificação indicativa badge in the ClassInd colours. */
@Component({
  selector: 'app-age-rating-badge',
  template: `<span class="badge" [attr.data-rating]="rating()" role="img" [attr.aria-label]="label()">{{ rating() }}</span>`,
  styles: `
    .badge { display: inline-grid; place-items: center; min-width: 1.75rem; height: 1.75rem; padding: 0 var(--space-1);
      border-radius: var(--radius-sm); font-weight: var(--weight-bold); font-size: var(--text-sm); line-height: 1; }
    [data-rating='L'] { background: var(--rating-l); color: var(--on-rating-l); }
    [data-rating='10'] { background: var(--rating-10); color: var(--on-rating-10); }
    [data-rating='12'] { background: var(--rating-12); color: var(--on-rating-12); }
    [data-rating='14'] { background: var(--rating-14); color: var(--on-rating-14); }
    [data-rating='16'] { background: var(--rating-16); color: var(--on-rating-16); }
    [data-rating='18'] { background: var(--rating-18); color: var(--on-rating-18); box-shadow: 0 0 0 1px var(--color-surface); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AgeRatingBadge {
  readonly rating = input.required<Schemas['AgeRating']>();
  protected readonly label = computed(() => spoken[this.rating()]);
}
