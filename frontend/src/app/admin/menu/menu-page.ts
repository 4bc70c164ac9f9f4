import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, resource, signal } from '@angular/core';
import { API_CLIENT, type Schemas, unwrap } from '../../api/api-client';
import type { ProblemMessage } from '../../api/problem-message';
import { formatMoney } from '../../shared/locale/format';
import { EmptyState, LoadingState, Notice } from '../../shared/ui/page-states';
import { AdminCinemaPicker, AdminCinemas } from '../admin-cinemas';
import { CATEGORY_LABELS, formatInt } from '../admin-format';
import { adminProblem } from '../admin-problem';
import { ProductEditor } from './product-editor';
import { type ProductDraft, newProduct, productDraftOf } from './product-draft';

interface StockRow {
  productId: string;
  size: string;
  available: number | null;
  reserved: number | null;
}

/** Delta lines for adjustStock from what was typed: whole non-zero numbers only; null when any is not. */
export function stockDeltas(rows: StockRow[], typed: Record<string, string>): Schemas['StockAdjustmentLine'][] | null {
  const lines: Schemas['StockAdjustmentLine'][] = [];
  for (const r of rows) {
    const t = (typed[`${r.productId}/${r.size}`] ?? '').trim();
    if (!t) continue;
    if (!/^[+-]?\d+$/.test(t) || Math.abs(Number(t)) > 100000) return null;
    if (Number(t) !== 0) lines.push({ productId: r.productId, size: r.size, delta: Number(t) });
  }
  return lines;
}

/** Bomboniere e estoque (/admin/bomboniere): the menu (listAdminProducts, putProduct) and a cinema's stock (getStock, adjustStock). */
@Component({
  selector: 'app-menu-page',
  imports: [AdminCinemaPicker, ProductEditor, LoadingState, EmptyState, Notice],
  template: `
    <h1>Bomboniere e estoque</h1>
    <section aria-labelledby="menu-title" class="block">
      <div class="toolbar">
        <h2 id="menu-title">Cardápio</h2>
        <button type="button" class="btn btn-primary btn-small" (click)="edit(null)">Novo produto</button>
      </div>
      @if (saved(); as s) { <p class="success" role="status">{{ s }}</p> }
      @if (editing(); as e) {
        <app-product-editor [start]="e.draft" [isNew]="e.isNew" [products]="productList()" (saved)="onSaved($event)" (closed)="editing.set(null)" />
      }
      @if (products.error(); as err) {
        <app-notice [message]="message(err, 'listar o cardápio')" [retryable]="true" (retry)="products.reload()" data-testid="products-problem" />
      } @else if (!products.hasValue()) {
        <app-loading-state label="Carregando o cardápio…" [count]="2" />
      } @else if (productList().length === 0) {
        <app-empty-state message="O cardápio está vazio." />
      } @else {
        <div class="table-wrap">
          <table class="data" data-testid="products">
            <thead><tr><th scope="col">Produto</th><th scope="col">Categoria</th><th scope="col">Tamanhos e preços</th>
              <th scope="col">Situação</th><th scope="col"><span class="visually-hidden">Ações</span></th></tr></thead>
            <tbody>
              @for (p of productList(); track p.id) {
                <tr [attr.data-product]="p.id">
                  <th scope="row">{{ p.name }}</th>
                  <td>{{ categoryLabels[p.category] }}</td>
                  <td>{{ sizes(p) }}</td>
                  <td><span class="tag" [class.ok]="p.active" [class.off]="!p.active">{{ p.active ? 'Ativo' : 'Inativo' }}</span></td>
                  <td><button type="button" class="btn btn-secondary btn-small" (click)="edit(p)">Editar<span class="visually-hidden"> {{ p.name }}</span></button></td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    </section>

    <section aria-labelledby="stock-title" class="block">
      <h2 id="stock-title">Estoque</h2>
      <div class="toolbar"><app-admin-cinema-picker /></div>
      @if (stock.error(); as err) {
        <app-notice [message]="message(err, 'ver o estoque')" [retryable]="true" (retry)="stock.reload()" data-testid="stock-load-problem" />
      } @else if (!stock.hasValue()) {
        <app-loading-state label="Carregando o estoque…" [count]="2" />
      } @else {
        @if (rows().length === 0) {
          <app-empty-state message="Nenhum item com estoque controlado neste cinema: os tamanhos sem linha de estoque não têm limite." />
        }
        <div class="toolbar add-line">
          <div class="field"><label for="add-product">Controlar o estoque de</label>
            <select id="add-product" (change)="addProduct.set($any($event.target).value); addSize.set('')">
              <option value="">Escolha o produto…</option>
              @for (p of productList(); track p.id) { <option [value]="p.id">{{ p.name }}</option> }
            </select></div>
          <div class="field"><label for="add-size">Tamanho</label>
            <select id="add-size" (change)="addSize.set($any($event.target).value)" [disabled]="!addProduct()">
              <option value="">Escolha…</option>
              @for (z of sizesOf(addProduct()); track z.code) { <option [value]="z.code" [selected]="addSize() === z.code">{{ z.label }}</option> }
            </select></div>
          <button type="button" class="btn btn-secondary btn-small" [disabled]="!addProduct() || !addSize()" (click)="addLine()">Adicionar à tabela</button>
        </div>
        <form novalidate (submit)="adjust($event)">
          @if (rows().length) {
          <div class="table-wrap">
            <table class="data" data-testid="stock">
              <caption>Some (entrega) ou subtraia (baixa) unidades; deixe vazio o que não muda.</caption>
              <thead><tr><th scope="col">Produto</th><th scope="col">Tamanho</th><th scope="col" class="num">Disponível</th>
                <th scope="col" class="num">Reservado</th><th scope="col">Ajuste</th></tr></thead>
              <tbody>
                @for (r of rows(); track r.productId + '/' + r.size; let i = $index) {
                  <tr [attr.data-stock]="r.productId + '/' + r.size">
                    <th scope="row">{{ productName(r.productId) }}</th>
                    <td>{{ r.size }}</td>
                    <td class="num">{{ r.available === null ? '—' : int(r.available) }}</td>
                    <td class="num">{{ r.reserved === null ? '—' : int(r.reserved) }}</td>
                    <td><label class="visually-hidden" [for]="'delta-' + i">Ajuste de {{ productName(r.productId) }} {{ r.size }}</label>
                      <input [id]="'delta-' + i" class="delta" inputmode="numeric" placeholder="+0" [value]="typed()[r.productId + '/' + r.size] || ''"
                        (input)="type(r, $any($event.target).value)" /></td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
          }
          <div class="field reason">
            <label for="stock-reason">Motivo</label>
            <input id="stock-reason" [value]="reason()" (input)="reason.set($any($event.target).value)" placeholder="Entrega do fornecedor" />
          </div>
          @if (stockError(); as e) { <p class="field-error" role="alert">{{ e }}</p> }
          @if (stockProblem(); as p) { <app-notice [message]="p" data-testid="stock-problem" /> }
          @if (adjusted()) { <p class="success" role="status">Estoque atualizado.</p> }
          <div class="actions"><button type="submit" class="btn btn-primary" [disabled]="adjusting()">{{ adjusting() ? 'Salvando…' : 'Ajustar estoque' }}</button></div>
        </form>
      }
    </section>
  `,
  styles: `
    .block + .block { margin-top: var(--space-6); }
    .toolbar h2 { margin: 0; flex: 1; }
    .delta { width: 6rem; min-height: 2.25rem; padding: 0 var(--space-2); border: 1px solid var(--color-border); border-radius: var(--radius-sm); font: inherit; }
    .reason { max-width: 28rem; margin-top: var(--space-3); }
    .add-line { margin-top: var(--space-3); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MenuPage {
  private readonly api = inject(API_CLIENT);
  private readonly cinemas = inject(AdminCinemas);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  protected readonly message = adminProblem;
  protected readonly categoryLabels = CATEGORY_LABELS;
  protected readonly int = formatInt;
  protected readonly products = resource({ loader: async () => unwrap(await this.api.GET('/admin/concessions')).items });
  protected readonly productList = computed(() =>
    (this.products.hasValue() ? this.products.value() : []).slice().sort((a, b) => a.sortOrder - b.sortOrder || a.name.localeCompare(b.name, 'pt-BR')),
  );
  protected readonly editing = signal<{ draft: ProductDraft; isNew: boolean } | null>(null);
  protected readonly saved = signal<string | null>(null);

  protected readonly stock = resource({
    params: () => this.cinemas.cinemaId() || undefined,
    loader: async ({ params: cinemaId }) => unwrap(await this.api.GET('/admin/cinemas/{cinemaId}/stock', { params: { path: { cinemaId } } })),
  });
  /** Lines added here for items with no stock line yet (a first delivery). */
  protected readonly extra = signal<StockRow[]>([]);
  protected readonly rows = computed<StockRow[]>(() => {
    const items: StockRow[] = this.stock.hasValue() ? this.stock.value()!.items : [];
    return [...items, ...this.extra().filter((x) => !items.some((i) => i.productId === x.productId && i.size === x.size))];
  });
  protected readonly addProduct = signal('');
  protected readonly addSize = signal('');
  protected readonly typed = signal<Record<string, string>>({});
  protected readonly reason = signal('');
  protected readonly stockError = signal<string | null>(null);
  protected readonly stockProblem = signal<ProblemMessage | null>(null);
  protected readonly adjusting = signal(false);
  protected readonly adjusted = signal(false);

  protected sizes(p: Schemas['AdminProduct']): string {
    return p.sizes.map((s) => `${s.label} ${formatMoney(s.price)}`).join(' · ');
  }

  protected productName(id: string): string {
    return this.productList().find((p) => p.id === id)?.name ?? id;
  }

  protected sizesOf(id: string): Schemas['ProductSize'][] {
    return this.productList().find((p) => p.id === id)?.sizes ?? [];
  }

  protected addLine(): void {
    const row = { productId: this.addProduct(), size: this.addSize(), available: null, reserved: null };
    if (!this.rows().some((r) => r.productId === row.productId && r.size === row.size)) this.extra.update((x) => [...x, row]);
    this.addSize.set('');
  }

  protected edit(p: Schemas['AdminProduct'] | null): void {
    this.saved.set(null);
    this.editing.set(p ? { draft: productDraftOf(p), isNew: false } : { draft: newProduct(), isNew: true });
    // Keyboard users land in the editor, which opens above the list.
    setTimeout(() => this.host.nativeElement.querySelector<HTMLElement>(p ? '#p-name' : '#p-id')?.focus());
  }

  protected onSaved(p: Schemas['AdminProduct']): void {
    this.products.update((list) => {
      const items = list ?? [];
      return items.some((x) => x.id === p.id) ? items.map((x) => (x.id === p.id ? p : x)) : [...items, p];
    });
    this.editing.set(null);
    this.saved.set(`“${p.name}” foi salvo.`);
  }

  protected type(r: StockRow, value: string): void {
    this.typed.update((t) => ({ ...t, [`${r.productId}/${r.size}`]: value }));
    this.adjusted.set(false);
  }

  protected async adjust(event: Event): Promise<void> {
    event.preventDefault();
    this.stockProblem.set(null);
    this.adjusted.set(false);
    const lines = stockDeltas(this.rows(), this.typed());
    const reason = this.reason().trim();
    if (lines === null) return this.stockError.set('Cada ajuste é um número inteiro, como 200 ou -12.');
    if (lines.length === 0) return this.stockError.set('Informe ao menos um ajuste diferente de zero.');
    if (reason.length < 3 || reason.length > 200) return this.stockError.set('Escreva o motivo, de 3 a 200 caracteres.');
    this.stockError.set(null);
    this.adjusting.set(true);
    try {
      const levels = unwrap(await this.api.PATCH('/admin/cinemas/{cinemaId}/stock', {
        params: { path: { cinemaId: this.cinemas.cinemaId() } }, body: { items: lines, reason },
      }));
      this.stock.set(levels);
      this.extra.set([]);
      this.typed.set({});
      this.reason.set('');
      this.adjusted.set(true);
    } catch (err) {
      this.stockProblem.set(adminProblem(err, 'ajustar o estoque'));
    } finally {
      this.adjusting.set(false);
    }
  }
}
