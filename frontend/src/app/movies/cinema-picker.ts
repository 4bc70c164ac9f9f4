import { ChangeDetectionStrategy, Component, input, model } from '@angular/core';
import type { Schemas } from '../api/api-client';

let nextId = 0;

/** A labelled select of the chain's cinemas, with "Todos os cinemas" first. */
@Component({
  selector: 'app-cinema-picker',
  template: `
    <label class="field-label" [for]="id">Cinema</label>
    <select class="select" [id]="id" [value]="cinemaId()" (change)="cinemaId.set($any($event.target).value)">
      <option value="">Todos os cinemas</option>
      @for (c of cinemas(); track c.id) {
        <option [value]="c.id" [selected]="c.id === cinemaId()">{{ c.name }} — {{ c.neighborhood }}</option>
      }
    </select>
  `,
  styles: `:host { display: flex; flex-direction: column; gap: var(--space-1); }`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CinemaPicker {
  readonly cinemas = input.required<Schemas['Cinema'][]>();
  readonly cinemaId = model.required<string>();
  protected readonly id = `cinema-picker-${nextId++}`;
}
