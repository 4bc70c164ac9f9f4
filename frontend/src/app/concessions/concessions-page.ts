import { ChangeDetectionStrategy, Component, computed, effect, inject, linkedSignal, resource, signal, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { API_CLIENT, type Schemas, unwrap } from '../api/api-client';
import { type ProblemMessage, problemMessage } from '../api/problem-message';
import { NO_HOLD, injectActiveHold } from '../seat-selection/active-hold';
import { HoldStatus } from '../seat-selection/hold-status';
import { HoldSummary } from '../seat-selection/hold-summary';
import { formatMoney } from '../shared/locale/format';
import { BrlPipe } from '../shared/locale/pipes';
import { LoadingState, Notice } from '../shared/ui/page-states';
import { Stepper } from '../shared/ui/stepper';
import { type CartLine, CartStore, type FlavourSlot, MAX_LINES, MAX_QUANTITY, flavourSlots, lineFor } from './cart-store';
import { type ProductChoice, ProductCard } from './product-card';

/** Menu sections in the order the study lists them: combos first. */
const SECTIONS: { category: Schemas['ProductCategory']; label: string }[] = [
  { category: 'COMBO', label: 'Combos' },
  { category: 'PIPOCA', label: 'Pipocas' },
  { category: 'BEBIDA', label: 'Bebidas' },
  { category: 'CHOCOLATE', label: 'Chocolates' },
  { category: 'DOCE', label: 'Doces' },
  { category: 'SALGADO', label: 'Salgados' },
];

const NO_SLOTS: FlavourSlot[] = [];

/** How many ranked suggestions are shown above the menu. */
export const SUGGESTIONS = 3;

/**
 * Bomboniere, the step after the seats: the ranked suggestions for the hold
 * (listHoldRecommendations, given what is already chosen, so a combo can
 * replace items for less), the menu by section (getConcessionsMenu of the
 * showtime's cinema), and the buyer's lines with size, flavours and
 * quantity (1 to 20). The running total is the menu's prices; createOrder on
 * the next step sends the lines and the server prices them.
 */
@Component({
  selector: 'app-concessions-page',
  imports: [RouterLink, Stepper, HoldStatus, HoldSummary, LoadingState, Notice, BrlPipe, ProductCard],
  template: `
    <app-stepper [current]="1" />
    @if (active.state() === 'loading') {
      <app-loading-state label="Carregando sua reserva…" [count]="1" />
    } @else if (active.state() === 'error') {
      <app-notice [message]="active.problem()!" [retryable]="true" (retry)="active.reload()" />
    } @else if (active.hold(); as h) {
      <app-hold-status [hold]="h" />
      <h1>Bomboniere</h1>
      @if (h.status === 'ORDERED') {
        <app-notice [message]="ordered" data-testid="already-ordered" />
        <p><a class="btn btn-primary" routerLink="/compra/pagamento">Ir para o pagamento</a></p>
      } @else {
        <p class="lead">Opcional: escolha pipoca, bebidas e combos e retire no balcão com o código da compra.</p>

        <section aria-labelledby="recs-title">
          <h2 id="recs-title">Sugestões para você</h2>
          @if (recommendations.error(); as err) {
            <app-notice [message]="message(err, 'ver as sugestões da bomboniere')" data-testid="recommendations-problem" />
          } @else if (suggestions(); as recs) {
            @if (recs.items.length === 0) {
              <p class="hint">Nenhuma sugestão agora; veja o cardápio abaixo.</p>
            }
            <ol class="recs" role="list" aria-label="Sugestões para você">
              @for (r of recs.items; track r.rank) {
                <li data-testid="suggestion">
                  <span class="name">{{ r.quantity > 1 ? r.quantity + '× ' : '' }}{{ r.name }}</span>
                  <span class="price">{{ r.price | brl }}@if (r.quantity > 1) { <span class="each"> cada</span> }</span>
                  <span class="reason">{{ r.reason }}</span>
                  @if (r.savings; as sv) { <span class="savings">Economize {{ sv | brl }}</span> }
                  <button type="button" class="btn btn-secondary" (click)="addSuggestion(r)">
                    @if (r.replaces.length) { Trocar pelo combo } @else { Adicionar }
                    <span class="visually-hidden">{{ r.name }}</span>
                  </button>
                </li>
              }
            </ol>
          } @else {
            <app-loading-state label="Carregando sugestões…" [count]="2" />
          }
        </section>

        <section class="cart" aria-labelledby="cart-title" data-testid="cart">
          <h2 id="cart-title">Sua bomboniere</h2>
          @if (cart.lines().length === 0) {
            <p class="hint">Nenhum item escolhido. A bomboniere é opcional.</p>
          } @else {
            <ul class="lines" role="list">
              @for (l of cart.lines(); track $index; let i = $index) {
                <li data-testid="cart-line">
                  <div class="line-head">
                    <span class="name">{{ l.name }}</span>
                    <span class="subtotal">{{ subtotal(l) | brl }}</span>
                  </div>
                  <span class="meta">{{ l.sizeLabel }} · {{ l.unitPrice | brl }} cada</span>
                  @for (slot of slotsOf(l.productId); track $index; let j = $index) {
                    <label class="flavour">
                      <span>{{ slot.label }}<span class="visually-hidden"> de {{ l.name }}</span></span>
                      <select class="select" [value]="l.flavours[j]" (change)="cart.setFlavour(i, j, $any($event.target).value)">
                        @for (o of slot.options; track o) {
                          <option [value]="o" [selected]="o === l.flavours[j]">{{ o }}</option>
                        }
                      </select>
                    </label>
                  }
                  <div class="qty" role="group" [attr.aria-label]="l.name">
                    <button type="button" class="btn btn-secondary step" [disabled]="l.quantity <= 1"
                      [attr.aria-label]="'Diminuir a quantidade de ' + l.name" (click)="setQuantity(i, l, l.quantity - 1)">−</button>
                    <input type="number" inputmode="numeric" min="1" [max]="maxQuantity" [value]="l.quantity"
                      [attr.aria-label]="'Quantidade de ' + l.name" (change)="setQuantity(i, l, +$any($event.target).value, $any($event.target))" />
                    <button type="button" class="btn btn-secondary step" [disabled]="l.quantity >= maxQuantity"
                      [attr.aria-label]="'Aumentar a quantidade de ' + l.name" (click)="setQuantity(i, l, l.quantity + 1)">+</button>
                    <button type="button" class="btn btn-icon remove" (click)="remove(i, l)">Remover<span class="visually-hidden"> {{ l.name }}</span></button>
                  </div>
                </li>
              }
            </ul>
          }
          <p class="cart-total">Bomboniere: <strong data-testid="cart-total">{{ cart.estimate() | brl }}</strong></p>
          <p class="hint">Preços do cardápio. A taxa de conveniência e o total a pagar são calculados ao criar o pedido.</p>
          @if (refused(); as why) {
            <p class="refused" role="alert">{{ why }}</p>
          }
        </section>

        <section aria-labelledby="menu-title">
          <h2 id="menu-title">Cardápio</h2>
          @if (menu.error(); as err) {
            <app-notice [message]="message(err, 'carregar o cardápio')" [retryable]="true" (retry)="menu.reload()" />
          } @else if (menu.hasValue()) {
            @for (g of groups(); track g.category) {
              <h3 class="section">{{ g.label }}</h3>
              <div class="products">
                @for (p of g.products; track p.id) {
                  <app-product-card [product]="p" [slots]="slotsOf(p.id)" (add)="addProduct($event)" />
                }
              </div>
            }
          } @else {
            <app-loading-state label="Carregando o cardápio…" [count]="4" />
          }
        </section>
      }
      <app-hold-summary [hold]="h" />
      <div class="bar">
        <p class="count">
          Ingressos {{ h.total | brl }}
          @if (cart.count() > 0) { <span> · bomboniere {{ cart.estimate() | brl }}</span> }
        </p>
        <div class="bar-actions">
          <a class="btn btn-secondary" [routerLink]="['/sessoes', h.showtimeId, 'assentos']">Ver assentos</a>
          <a class="btn btn-primary" routerLink="/compra/pagamento">Continuar</a>
        </div>
      </div>
      <p class="visually-hidden" aria-live="polite" data-testid="cart-announcement">{{ announcement() }}</p>
    } @else {
      <app-notice [message]="noHold" />
      <p><a routerLink="/">Ver filmes em cartaz</a></p>
    }
  `,
  styles: `
    :host { display: block; padding-bottom: 6rem; }
    app-stepper, app-hold-status, app-notice, app-hold-summary { display: block; margin-bottom: var(--space-4); }
    h1 { margin: 0 0 var(--space-2); font-size: var(--text-xl); }
    h2 { margin: var(--space-5) 0 var(--space-3); font-size: var(--text-lg); }
    .section { margin: var(--space-4) 0 var(--space-2); font-size: var(--text-md, 1rem); }
    .lead { margin: 0; color: var(--color-text-muted); }
    .hint { color: var(--color-text-muted); font-size: var(--text-sm); }
    .recs, .lines { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--space-2); }
    .recs li { display: grid; grid-template-columns: 1fr auto; align-items: center; gap: var(--space-1) var(--space-2); padding: var(--space-3);
      background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    .recs .btn { grid-column: 1 / -1; justify-self: start; }
    .name { font-weight: var(--weight-bold); }
    .price, .subtotal { font-weight: var(--weight-semibold); font-variant-numeric: tabular-nums; white-space: nowrap; }
    .each { font-weight: normal; color: var(--color-text-muted); font-size: var(--text-sm); }
    .reason { grid-column: 1 / -1; color: var(--color-text-muted); font-size: var(--text-sm); }
    .savings { justify-self: start; padding: var(--space-1) var(--space-2); border-radius: var(--radius-pill);
      background: var(--color-accent); color: var(--color-on-accent); font-weight: var(--weight-bold); font-size: var(--text-sm); }
    .cart { padding: var(--space-4); margin-top: var(--space-4); background: var(--color-surface-sunken); border-radius: var(--radius-md); }
    .cart h2 { margin-top: 0; }
    .lines li { display: grid; gap: var(--space-2); padding: var(--space-3); background: var(--color-surface);
      border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    .line-head { display: flex; justify-content: space-between; gap: var(--space-2); }
    .meta { color: var(--color-text-muted); font-size: var(--text-sm); }
    .flavour { display: grid; gap: var(--space-1); font-size: var(--text-sm); }
    .qty { display: flex; align-items: center; gap: var(--space-2); flex-wrap: wrap; }
    .qty .step { min-width: var(--touch-target); padding: 0; font-size: var(--text-lg); }
    .qty input { width: 4rem; min-height: var(--touch-target); text-align: center; font: inherit; border: 1px solid var(--color-border);
      border-radius: var(--radius-md); }
    .remove { margin-left: auto; width: auto; padding: 0 var(--space-2); color: var(--color-danger); text-decoration: underline; }
    .cart-total { margin: var(--space-3) 0 0; font-size: var(--text-lg); }
    .refused { color: var(--color-danger); font-weight: var(--weight-semibold); }
    .products { display: grid; gap: var(--space-3); grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); }
    .bar { position: fixed; inset: auto 0 0 0; z-index: 10; display: flex; align-items: center; justify-content: space-between;
      flex-wrap: wrap; gap: var(--space-2) var(--space-3); padding: var(--space-3) var(--space-4); background: var(--color-surface);
      box-shadow: 0 -2px 8px rgb(28 25 23 / 0.12); }
    .count { margin: 0; font-weight: var(--weight-semibold); }
    .bar-actions { display: flex; gap: var(--space-2); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConcessionsPage {
  private readonly api = inject(API_CLIENT);
  protected readonly cart = inject(CartStore);
  protected readonly active = injectActiveHold();
  protected readonly message = problemMessage;
  protected readonly noHold = NO_HOLD;
  protected readonly maxQuantity = MAX_QUANTITY;
  protected readonly ordered: ProblemMessage = {
    kind: 'info',
    title: 'Pedido já criado',
    detail: 'A bomboniere escolhida já está no pedido. Conclua o pagamento antes que a reserva expire.',
  };
  protected readonly announcement = signal('');
  protected readonly refused = signal<string | null>(null);
  private readonly hold = computed(() => this.active.hold());
  private readonly activeHoldId = computed(() => (this.hold()?.status === 'ACTIVE' ? this.hold()!.id : undefined));

  /** The menu of the showtime's cinema. */
  protected readonly menu = resource({
    params: () => (this.activeHoldId() ? { showtimeId: this.hold()!.showtimeId } : undefined),
    loader: async ({ params: { showtimeId } }) => {
      const st = unwrap(await this.api.GET('/showtimes/{showtimeId}', { params: { path: { showtimeId } } }));
      return unwrap(await this.api.GET('/concessions', { params: { query: { cinemaId: st.cinemaId } } }));
    },
  });
  private readonly products = computed(() => (this.menu.hasValue() ? this.menu.value().items : []));
  protected readonly groups = computed(() =>
    SECTIONS.map((s) => ({ ...s, products: this.products().filter((p) => p.category === s.category) })).filter((g) => g.products.length),
  );

  /** Ranked suggestions given what is already chosen. */
  protected readonly recommendations = resource({
    params: () => (this.activeHoldId() ? { holdId: this.activeHoldId()!, selected: this.cart.productIds() } : undefined),
    loader: async ({ params: { holdId, selected } }) =>
      unwrap(
        await this.api.GET('/holds/{holdId}/recommendations', {
          params: { path: { holdId }, query: selected.length ? { limit: SUGGESTIONS, selected } : { limit: SUGGESTIONS } },
        }),
      ),
  });
  /** The last answered suggestions, kept while the next ones load (no flicker when the cart changes). */
  protected readonly suggestions = linkedSignal<Schemas['RecommendationList'] | undefined, Schemas['RecommendationList'] | undefined>({
    source: () => (this.recommendations.hasValue() ? this.recommendations.value() : undefined),
    computation: (value, previous) => value ?? previous?.value,
  });

  constructor() {
    effect(() => {
      const id = this.hold()?.id;
      if (id) untracked(() => this.cart.open(id));
    });
  }

  /** Flavour slots per product, computed once per menu (a new array per check would reset the cards' choices). */
  private readonly slotsById = computed(() => new Map(this.products().map((p) => [p.id, flavourSlots(p, this.products())])));

  protected slotsOf(productId: string): FlavourSlot[] {
    return this.slotsById().get(productId) ?? NO_SLOTS;
  }

  protected subtotal(l: CartLine): Schemas['Money'] {
    return { amount: l.unitPrice.amount * l.quantity, currency: l.unitPrice.currency };
  }

  protected addProduct(choice: ProductChoice): void {
    const p = this.products().find((x) => x.id === choice.productId);
    if (!p) return;
    this.put(lineFor(p, this.products(), choice.size, choice.quantity, choice.flavours));
  }

  protected addSuggestion(r: Schemas['Recommendation']): void {
    const p = this.products().find((x) => x.id === r.productId);
    const line: CartLine = p
      ? lineFor(p, this.products(), r.size, r.quantity)
      : { productId: r.productId, name: r.name, size: r.size, sizeLabel: r.size, flavours: [], quantity: r.quantity, unitPrice: r.price };
    if (r.replaces.length) {
      this.cart.replace(r.replaces, line);
      this.afterChange(`${line.name} entrou no lugar dos itens avulsos.`);
    } else {
      this.put(line);
    }
  }

  protected setQuantity(index: number, line: CartLine, quantity: number, input?: HTMLInputElement): void {
    this.cart.setQuantity(index, quantity);
    const now = this.cart.lines()[index]?.quantity ?? line.quantity;
    if (input) input.value = String(now);
    this.afterChange(`${line.name}: ${now} ${now === 1 ? 'unidade' : 'unidades'}.`);
  }

  protected remove(index: number, line: CartLine): void {
    this.cart.remove(index);
    this.afterChange(`${line.name} removido.`);
  }

  private put(line: CartLine): void {
    if (!this.cart.add(line)) {
      this.refused.set(`No máximo ${MAX_LINES} itens diferentes por pedido.`);
      return;
    }
    this.afterChange(`${line.name} adicionado.`);
  }

  private afterChange(what: string): void {
    this.refused.set(null);
    this.announcement.set(`${what} Bomboniere: ${formatMoney(this.cart.estimate())}.`);
  }
}
