import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, input, output, signal, effect } from '@angular/core';
import { API_CLIENT, type Schemas, unwrap } from '../../api/api-client';
import type { ProblemMessage } from '../../api/problem-message';
import { Notice } from '../../shared/ui/page-states';
import { CATEGORIES, CATEGORY_LABELS } from '../admin-format';
import { adminProblem, fieldErrors } from '../admin-problem';
import { type ProductDraft, type ProductErrors, productInput, validateProduct } from './product-draft';

/** The product editor (putProduct): sizes with prices, flavours, combo items, the active flag. */
@Component({
  selector: 'app-product-editor',
  imports: [Notice],
  template: `
    <form class="panel" novalidate (submit)="save($event)" aria-labelledby="product-form-title" data-testid="product-editor">
      <h2 id="product-form-title">{{ isNew() ? 'Novo produto' : 'Editar ' + start().name }}</h2>
      <div class="form-grid">
        @if (isNew()) {
          <div class="field">
            <label for="p-id">Identificador</label>
            <input id="p-id" [value]="d().id" (input)="patch({ id: val($event) })" [attr.aria-invalid]="!!err()['id']" aria-describedby="p-id-hint" />
            <p class="hint" id="p-id-hint">Letras minúsculas, números e hífens; não muda depois.</p>
            @if (err()['id']; as e) { <p class="field-error">{{ e }}</p> }
          </div>
        }
        <div class="field">
          <label for="p-name">Nome</label>
          <input id="p-name" [value]="d().name" (input)="patch({ name: val($event) })" [attr.aria-invalid]="!!err()['name']" />
          @if (err()['name']; as e) { <p class="field-error">{{ e }}</p> }
        </div>
        <div class="field">
          <label for="p-category">Categoria</label>
          <select id="p-category" (change)="patch({ category: val($event) })">
            @for (c of categories; track c) { <option [value]="c" [selected]="d().category === c">{{ categoryLabels[c] }}</option> }
          </select>
        </div>
        <div class="field wide">
          <label for="p-description">Descrição</label>
          <textarea id="p-description" rows="2" [value]="d().description" (input)="patch({ description: val($event) })" [attr.aria-invalid]="!!err()['description']"></textarea>
          @if (err()['description']; as e) { <p class="field-error">{{ e }}</p> }
        </div>
        <fieldset class="wide sizes">
          <legend>Tamanhos e preços</legend>
          @for (s of d().sizes; track $index; let i = $index) {
            <div class="line">
              <div class="field"><label [for]="'p-size-code-' + i">Código</label>
                <input [id]="'p-size-code-' + i" size="4" [value]="s.code" (input)="size(i, 'code', val($event).toUpperCase())" [attr.aria-invalid]="!!err()['sizes[' + i + '].code']" /></div>
              <div class="field"><label [for]="'p-size-label-' + i">Nome</label>
                <input [id]="'p-size-label-' + i" [value]="s.label" (input)="size(i, 'label', val($event))" [attr.aria-invalid]="!!err()['sizes[' + i + '].label']" /></div>
              <div class="field"><label [for]="'p-size-price-' + i">Preço (R$)</label>
                <input [id]="'p-size-price-' + i" inputmode="decimal" [value]="s.price" (input)="size(i, 'price', val($event))" [attr.aria-invalid]="!!err()['sizes[' + i + '].price']" /></div>
              <button type="button" class="btn btn-secondary btn-small" [disabled]="d().sizes.length === 1" (click)="removeSize(i)">Remover<span class="visually-hidden"> tamanho {{ i + 1 }}</span></button>
            </div>
            @for (k of ['code', 'label', 'price']; track k) {
              @if (err()['sizes[' + i + '].' + k]; as e) { <p class="field-error">Tamanho {{ i + 1 }}: {{ e }}</p> }
            }
          }
          @if (err()['sizes']; as e) { <p class="field-error">{{ e }}</p> }
          <button type="button" class="btn btn-secondary btn-small" [disabled]="d().sizes.length >= 5" (click)="addSize()">Adicionar tamanho</button>
        </fieldset>
        <div class="field">
          <label for="p-flavours">Sabores</label>
          <input id="p-flavours" [value]="d().flavours" (input)="patch({ flavours: val($event) })" aria-describedby="p-flavours-hint" [attr.aria-invalid]="!!err()['flavours']" />
          <p class="hint" id="p-flavours-hint">Separados por vírgula; deixe vazio se não houver.</p>
          @if (err()['flavours']; as e) { <p class="field-error">{{ e }}</p> }
        </div>
        <div class="field">
          <label for="p-serves">Serve (pessoas)</label>
          <input id="p-serves" type="number" min="1" max="10" [value]="d().serves" (input)="patch({ serves: val($event) })" [attr.aria-invalid]="!!err()['serves']" />
          @if (err()['serves']; as e) { <p class="field-error">{{ e }}</p> }
        </div>
        <div class="field">
          <label for="p-sort">Ordem no cardápio</label>
          <input id="p-sort" type="number" min="0" [value]="d().sortOrder" (input)="patch({ sortOrder: val($event) })" [attr.aria-invalid]="!!err()['sortOrder']" />
          @if (err()['sortOrder']; as e) { <p class="field-error">{{ e }}</p> }
        </div>
        <label class="check"><input type="checkbox" [checked]="d().active" (change)="patch({ active: $any($event.target).checked })" /> Ativo (à venda)</label>
        @if (d().category === 'COMBO') {
          <fieldset class="wide sizes">
            <legend>Itens do combo</legend>
            @for (c of d().comboItems; track $index; let i = $index) {
              <div class="line">
                <div class="field"><label [for]="'p-combo-product-' + i">Produto</label>
                  <select [id]="'p-combo-product-' + i" (change)="combo(i, 'productId', val($event))" [attr.aria-invalid]="!!err()['comboItems[' + i + '].productId']">
                    <option value="">Escolha…</option>
                    @for (p of products(); track p.id) {
                      @if (p.category !== 'COMBO') { <option [value]="p.id" [selected]="c.productId === p.id">{{ p.name }}</option> }
                    }
                  </select></div>
                <div class="field"><label [for]="'p-combo-size-' + i">Tamanho</label>
                  <select [id]="'p-combo-size-' + i" (change)="combo(i, 'size', val($event))" [attr.aria-invalid]="!!err()['comboItems[' + i + '].size']">
                    <option value="">Escolha…</option>
                    @for (s of sizesOf(c.productId); track s.code) { <option [value]="s.code" [selected]="c.size === s.code">{{ s.label }}</option> }
                  </select></div>
                <div class="field"><label [for]="'p-combo-qty-' + i">Quantidade</label>
                  <input [id]="'p-combo-qty-' + i" type="number" min="1" max="10" [value]="c.quantity" (input)="combo(i, 'quantity', val($event))" [attr.aria-invalid]="!!err()['comboItems[' + i + '].quantity']" /></div>
                <button type="button" class="btn btn-secondary btn-small" (click)="removeCombo(i)">Remover<span class="visually-hidden"> item {{ i + 1 }}</span></button>
              </div>
            }
            @if (err()['comboItems']; as e) { <p class="field-error">{{ e }}</p> }
            <button type="button" class="btn btn-secondary btn-small" [disabled]="d().comboItems.length >= 6" (click)="addCombo()">Adicionar item</button>
          </fieldset>
        }
      </div>
      @if (problem(); as p) { <app-notice [message]="p" data-testid="product-problem" /> }
      <div class="actions">
        <button type="submit" class="btn btn-primary" [disabled]="saving()">{{ saving() ? 'Salvando…' : 'Salvar produto' }}</button>
        <button type="button" class="btn btn-secondary" (click)="closed.emit()">Fechar</button>
      </div>
    </form>
  `,
  styles: `
    .sizes { border: 1px solid var(--color-border-subtle); border-radius: var(--radius-sm); padding: var(--space-2) var(--space-3); margin: 0; }
    .sizes legend { font-weight: var(--weight-semibold); }
    .line { display: flex; gap: var(--space-2); align-items: flex-end; flex-wrap: wrap; margin-bottom: var(--space-2); }
    .check { display: flex; align-items: center; gap: var(--space-2); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProductEditor {
  private readonly api = inject(API_CLIENT);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  readonly start = input.required<ProductDraft>();
  readonly isNew = input(false);
  readonly products = input<Schemas['AdminProduct'][]>([]);
  readonly saved = output<Schemas['AdminProduct']>();
  readonly closed = output<void>();
  protected readonly categories = CATEGORIES;
  protected readonly categoryLabels = CATEGORY_LABELS;
  protected readonly d = signal<ProductDraft>(this.startValue());
  protected readonly submitted = signal(false);
  protected readonly serverErrors = signal<ProductErrors>({});
  protected readonly err = computed<ProductErrors>(() => ({ ...this.serverErrors(), ...(this.submitted() ? validateProduct(this.d(), this.isNew()) : {}) }));
  protected readonly saving = signal(false);
  protected readonly problem = signal<ProblemMessage | null>(null);

  constructor() {
    effect(() => {
      this.d.set(structuredClone(this.start()));
      this.submitted.set(false);
      this.problem.set(null);
      this.serverErrors.set({});
    });
  }

  private startValue(): ProductDraft {
    return { id: '', name: '', description: '', category: 'PIPOCA', sizes: [], flavours: '', serves: '1', comboItems: [], active: true, sortOrder: '0' };
  }

  protected val(e: Event): string {
    return (e.target as HTMLInputElement).value;
  }
  protected patch(p: Partial<ProductDraft>): void {
    this.d.update((d) => ({ ...d, ...p }));
  }
  protected size(i: number, key: 'code' | 'label' | 'price', value: string): void {
    this.d.update((d) => ({ ...d, sizes: d.sizes.map((s, j) => (j === i ? { ...s, [key]: value } : s)) }));
  }
  protected addSize(): void {
    this.d.update((d) => ({ ...d, sizes: [...d.sizes, { code: '', label: '', price: '' }] }));
  }
  protected removeSize(i: number): void {
    this.d.update((d) => ({ ...d, sizes: d.sizes.filter((_, j) => j !== i) }));
  }
  protected combo(i: number, key: 'productId' | 'size' | 'quantity', value: string): void {
    this.d.update((d) => ({ ...d, comboItems: d.comboItems.map((c, j) => (j === i ? { ...c, [key]: value } : c)) }));
  }
  protected addCombo(): void {
    this.d.update((d) => ({ ...d, comboItems: [...d.comboItems, { productId: '', size: '', quantity: '1' }] }));
  }
  protected removeCombo(i: number): void {
    this.d.update((d) => ({ ...d, comboItems: d.comboItems.filter((_, j) => j !== i) }));
  }
  protected sizesOf(productId: string): Schemas['ProductSize'][] {
    return this.products().find((p) => p.id === productId)?.sizes ?? [];
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    this.submitted.set(true);
    this.problem.set(null);
    this.serverErrors.set({});
    if (Object.keys(validateProduct(this.d(), this.isNew())).length) {
      queueMicrotask(() => this.host.nativeElement.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    this.saving.set(true);
    try {
      const p = unwrap(await this.api.PUT('/admin/concessions/{productId}', { params: { path: { productId: this.d().id } }, body: productInput(this.d()) }));
      this.saved.emit(p);
    } catch (err) {
      this.problem.set(adminProblem(err, 'salvar o produto'));
      this.serverErrors.set(fieldErrors(err));
    } finally {
      this.saving.set(false);
    }
  }
}
