import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

/** The purchase steps, in order. */
export const PURCHASE_STEPS = ['Assentos', 'Bomboniere', 'Pagamento', 'Ingressos'] as const;

/** Where the buyer is in the purchase: done steps, the current one, those ahead. */
@Component({
  selector: 'app-stepper',
  template: `
    <nav aria-label="Etapas da compra">
      <ol>
        @for (step of view(); track step.label) {
          <li [class]="step.state" [attr.aria-current]="step.state === 'current' ? 'step' : null">
            <span class="dot" aria-hidden="true">{{ step.state === 'done' ? '✓' : step.n }}</span>
            <span class="label">{{ step.label }}</span>
            @if (step.state === 'done') { <span class="visually-hidden">(concluída)</span> }
          </li>
        }
      </ol>
    </nav>
  `,
  styles: `
    ol { display: flex; gap: var(--space-2); list-style: none; margin: 0; padding: 0; }
    li { flex: 1; display: flex; flex-direction: column; align-items: center; gap: var(--space-1);
      font-size: var(--text-xs); color: var(--color-text-muted); text-align: center; }
    .dot { width: 1.75rem; height: 1.75rem; border-radius: 50%; display: grid; place-items: center;
      border: 2px solid var(--color-border); background: var(--color-surface); font-weight: var(--weight-bold); }
    .current { color: var(--color-text); font-weight: var(--weight-bold); }
    .current .dot { border-color: var(--color-primary); background: var(--color-primary); color: var(--color-on-primary); }
    .done .dot { border-color: var(--color-success); color: var(--color-success); }
    @media (min-width: 40rem) { li { flex-direction: row; justify-content: center; font-size: var(--text-sm); } }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Stepper {
  readonly steps = input<readonly string[]>(PURCHASE_STEPS);
  /** Zero-based index of the current step. */
  readonly current = input.required<number>();

  protected readonly view = computed(() =>
    this.steps().map((label, i) => ({
      label,
      n: i + 1,
      state: i < this.current() ? 'done' : i === this.current() ? 'current' : 'todo',
    })),
  );
}
