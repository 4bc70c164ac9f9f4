import { ChangeDetectionStrategy, Component, effect, inject, resource, signal } from '@angular/core';
import { API_CLIENT, unwrap } from '../../api/api-client';
import type { ProblemMessage } from '../../api/problem-message';
import { LoadingState, Notice } from '../../shared/ui/page-states';
import { AdminCinemaPicker, AdminCinemas } from '../admin-cinemas';
import { FORMATS, type Format, SEAT_TYPE_LABELS, WEEKDAYS, WEEKDAY_LABELS, WEEKDAY_NAMES, type Weekday } from '../admin-format';
import { adminProblem } from '../admin-problem';
import { type PriceGrid, SURCHARGE_TYPES, gridOf, tableInput } from './price-grid';

/** Preços (/admin/precos): a cinema's price table (getPriceTable, putPriceTable) as a format × weekday grid. */
@Component({
  selector: 'app-prices-page',
  imports: [AdminCinemaPicker, LoadingState, Notice],
  template: `
    <h1>Preços</h1>
    <div class="toolbar"><app-admin-cinema-picker /></div>
    @if (table.error(); as err) {
      <app-notice [message]="message(err, 'ver a tabela de preços')" [retryable]="true" (retry)="table.reload()" data-testid="prices-problem" />
    } @else if (!grid()) {
      <app-loading-state label="Carregando a tabela de preços…" [count]="2" />
    } @else {
      <form class="panel" novalidate (submit)="save($event)">
        <p class="hint">Preço da inteira por formato e dia da semana, em reais. A meia-entrada é metade. Uma mudança vale para novas reservas;
          reservas e pedidos já feitos mantêm o preço.</p>
        <div class="table-wrap">
          <table class="data prices" data-testid="price-grid">
            <caption>Inteira por formato e dia</caption>
            <thead>
              <tr><th scope="col">Formato</th>
                @for (w of weekdays; track w) { <th scope="col" [class.promo]="isPromo(w)"><abbr [title]="names[w]">{{ labels[w] }}</abbr>@if (isPromo(w)) { <span class="tag warn">promo</span> }</th> }
              </tr>
            </thead>
            <tbody>
              @for (f of formats; track f) {
                <tr>
                  <th scope="row">{{ f }}</th>
                  @for (w of weekdays; track w) {
                    <td [class.promo]="isPromo(w)">
                      <input class="cell" inputmode="decimal" [attr.aria-label]="f + ', ' + names[w] + ', inteira em reais'"
                        [value]="grid()!.cells[f][w]" (input)="cell(f, w, $any($event.target).value)" />
                    </td>
                  }
                </tr>
              }
            </tbody>
          </table>
        </div>
        <fieldset class="group">
          <legend>Dias promocionais</legend>
          @for (w of weekdays; track w) {
            <label class="check"><input type="checkbox" [checked]="isPromo(w)" (change)="togglePromo(w)" /> {{ names[w] }}</label>
          }
        </fieldset>
        <fieldset class="group">
          <legend>Acréscimo por tipo de assento (R$)</legend>
          @for (t of surchargeTypes; track t) {
            <div class="field"><label [for]="'sur-' + t">{{ seatLabels[t] }}</label>
              <input [id]="'sur-' + t" class="cell" inputmode="decimal" placeholder="0,00" [value]="grid()!.surcharges[t] ?? ''"
                (input)="surcharge(t, $any($event.target).value)" /></div>
          }
        </fieldset>
        @if (errors().length) {
          <ul class="field-error" role="alert" data-testid="price-errors">
            @for (e of errors(); track e) { <li>{{ e }}</li> }
          </ul>
        }
        @if (problem(); as p) { <app-notice [message]="p" data-testid="prices-save-problem" /> }
        @if (saved()) { <p class="success" role="status">Tabela de preços salva. Vale para novas reservas.</p> }
        <div class="actions"><button type="submit" class="btn btn-primary" [disabled]="saving()">{{ saving() ? 'Salvando…' : 'Salvar tabela' }}</button></div>
      </form>
    }
  `,
  styles: `
    .prices td, .prices th { text-align: center; }
    .prices th[scope='row'] { text-align: left; }
    .promo { background: var(--color-warning-bg); }
    .cell { width: 5.5rem; min-height: 2.25rem; padding: 0 var(--space-2); border: 1px solid var(--color-border); border-radius: var(--radius-sm);
      font: inherit; text-align: right; }
    abbr { text-decoration: none; }
    .group { display: flex; flex-wrap: wrap; gap: var(--space-3); border: 1px solid var(--color-border-subtle); border-radius: var(--radius-sm);
      padding: var(--space-2) var(--space-3); margin: var(--space-4) 0 0; }
    .group legend { font-weight: var(--weight-semibold); }
    .check { display: flex; align-items: center; gap: var(--space-1); min-height: 2rem; }
    ul.field-error { padding-left: var(--space-5); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PricesPage {
  private readonly api = inject(API_CLIENT);
  private readonly cinemas = inject(AdminCinemas);
  protected readonly message = adminProblem;
  protected readonly weekdays = WEEKDAYS;
  protected readonly labels = WEEKDAY_LABELS;
  protected readonly names = WEEKDAY_NAMES;
  protected readonly formats = FORMATS;
  protected readonly surchargeTypes = SURCHARGE_TYPES;
  protected readonly seatLabels = SEAT_TYPE_LABELS;
  protected readonly table = resource({
    params: () => this.cinemas.cinemaId() || undefined,
    loader: async ({ params: cinemaId }) => unwrap(await this.api.GET('/admin/cinemas/{cinemaId}/prices', { params: { path: { cinemaId } } })),
  });
  protected readonly grid = signal<PriceGrid | null>(null);
  protected readonly errors = signal<string[]>([]);
  protected readonly problem = signal<ProblemMessage | null>(null);
  protected readonly saving = signal(false);
  protected readonly saved = signal(false);

  constructor() {
    effect(() => {
      this.grid.set(this.table.hasValue() ? gridOf(this.table.value()!) : null);
      this.errors.set([]);
      this.problem.set(null);
      this.saved.set(false);
    });
  }

  protected isPromo(w: Weekday): boolean {
    return !!this.grid()?.promo.includes(w);
  }
  protected cell(f: Format, w: Weekday, value: string): void {
    this.grid.update((g) => g && { ...g, cells: { ...g.cells, [f]: { ...g.cells[f], [w]: value } } });
    this.saved.set(false);
  }
  protected togglePromo(w: Weekday): void {
    this.grid.update((g) => g && { ...g, promo: g.promo.includes(w) ? g.promo.filter((x) => x !== w) : [...g.promo, w] });
  }
  protected surcharge(t: keyof PriceGrid['surcharges'], value: string): void {
    this.grid.update((g) => g && { ...g, surcharges: { ...g.surcharges, [t]: value } });
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    this.problem.set(null);
    this.saved.set(false);
    const g = this.grid();
    if (!g) return;
    const { input, errors } = tableInput(g);
    this.errors.set(errors);
    if (!input) return;
    this.saving.set(true);
    try {
      const t = unwrap(await this.api.PUT('/admin/cinemas/{cinemaId}/prices', { params: { path: { cinemaId: this.cinemas.cinemaId() } }, body: input }));
      this.grid.set(gridOf(t));
      this.saved.set(true);
    } catch (err) {
      this.problem.set(adminProblem(err, 'salvar a tabela de preços'));
    } finally {
      this.saving.set(false);
    }
  }
}
