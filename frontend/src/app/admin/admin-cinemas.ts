import { ChangeDetectionStrategy, Component, Injectable, computed, inject, resource, signal } from '@angular/core';
import { API_CLIENT, type Schemas, unwrap } from '../api/api-client';

const KEY = 'bilhetagem.admin.cinema';

/** The chain's cinemas (listCinemas) and the one the back office is working on, kept for this tab. */
@Injectable({ providedIn: 'root' })
export class AdminCinemas {
  private readonly api = inject(API_CLIENT);
  readonly list = resource({ loader: async () => unwrap(await this.api.GET('/cinemas')).items });
  private readonly chosen = signal<string>(sessionStorage.getItem(KEY) ?? '');
  /** The chosen cinema's id: the stored one while it exists, else the first cinema. */
  readonly cinemaId = computed(() => {
    const items = this.list.hasValue() ? this.list.value() : [];
    const id = this.chosen();
    return items.some((c) => c.id === id) ? id : (items[0]?.id ?? '');
  });
  readonly cinema = computed<Schemas['Cinema'] | undefined>(() =>
    (this.list.hasValue() ? this.list.value() : []).find((c) => c.id === this.cinemaId()),
  );

  choose(id: string): void {
    this.chosen.set(id);
    sessionStorage.setItem(KEY, id);
  }
}

/** A labelled select of the cinemas, bound to AdminCinemas. */
@Component({
  selector: 'app-admin-cinema-picker',
  template: `
    <label class="field-label" for="admin-cinema">Cinema</label>
    <select id="admin-cinema" class="select" (change)="cinemas.choose($any($event.target).value)"
      [disabled]="!cinemas.list.hasValue()">
      @if (!cinemas.list.hasValue()) {
        <option value="">{{ cinemas.list.error() ? 'Cinemas indisponíveis' : 'Carregando…' }}</option>
      }
      @for (c of cinemas.list.hasValue() ? cinemas.list.value() : []; track c.id) {
        <option [value]="c.id" [selected]="c.id === cinemas.cinemaId()">{{ c.name }}</option>
      }
    </select>
  `,
  styles: `:host { display: flex; flex-direction: column; gap: var(--space-1); min-width: 16rem; }`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdminCinemaPicker {
  protected readonly cinemas = inject(AdminCinemas);
}
