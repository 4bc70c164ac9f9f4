import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, afterNextRender, computed, inject, input, linkedSignal, output, signal } from '@angular/core';
import type { Schemas } from '../api/api-client';
import { type Direction, type Seat, isSelectable, nextSeat, seatLabel } from './seat-rules';

const DIRECTIONS: readonly string[] = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'];
let nextId = 0;

/** What a horizontal scroller hides: whether more of it lies to the left or to the right of what is shown. */
export interface ScrollEdges {
  left: boolean;
  right: boolean;
}

/** Sub-pixel scroll positions (zoom, device pixel ratios) never leave less than this hidden. */
const EDGE_SLACK = 2;

/** Which sides of a horizontal scroller have content out of sight. */
export function scrollEdges(box: { scrollLeft: number; scrollWidth: number; clientWidth: number }): ScrollEdges {
  const hidden = box.scrollWidth - box.clientWidth;
  if (hidden <= EDGE_SLACK) return { left: false, right: false };
  return { left: box.scrollLeft > EDGE_SLACK, right: box.scrollLeft < hidden - EDGE_SLACK };
}

/**
 * The room's seats on their grid, the screen on top, and the legend. The map
 * is one tab stop (roving tabindex): arrow keys move between seats, Home and
 * End go to the row's ends, Space and Enter pick or drop the seat. Every seat
 * is a button with a spoken label and aria-pressed when picked; the seats of
 * the buyer's hold (`yours`) are marked ★ and "reservado por você"; taken seats
 * stay focusable (aria-disabled) so a screen reader can hear them.
 *
 * On a phone the room is wider than the screen and scrolls sideways: it
 * starts at its middle, each edge with more room beyond it fades out under an
 * arrow, and "Arraste para ver a sala toda" shows until the buyer first moves
 * it (a seat reached by keyboard scrolls into view, which counts).
 */
@Component({
  selector: 'app-seat-map',
  template: `
    <p class="visually-hidden" [id]="helpId">Use as setas para andar pelos assentos e Espaço ou Enter para escolher.</p>
    @if (showHint()) {
      <p class="scroll-hint" data-testid="scroll-hint"><span class="hint-arrows" aria-hidden="true">‹ ›</span> Arraste para ver a sala toda</p>
    }
    <div class="viewport" [class.more-left]="edges().left" [class.more-right]="edges().right">
      <div class="scroller" (scroll)="onScroll()">
        <div class="room" role="group" [attr.aria-label]="'Mapa de assentos' + (roomName() ? ', ' + roomName() : '')"
          [attr.aria-describedby]="helpId" (keydown)="onKeydown($event)" [style.--cols]="seatMap().width">
          <div class="screen" aria-hidden="true"><span>Tela</span></div>
          @for (row of rows(); track row.y) {
            <div class="row" role="group" [attr.aria-label]="'Fileira ' + row.name">
              <span class="row-name" aria-hidden="true">{{ row.name }}</span>
              <div class="seats">
                @for (seat of row.seats; track seat.id) {
                  <button type="button" class="seat" [attr.data-seat]="seat.id" [attr.data-type]="seat.type"
                    [class.taken]="!isSelectable(seat)" [class.yours]="seat.yours" [class.pair-left]="pairSide(seat) === 'left'"
                    [class.pair-right]="pairSide(seat) === 'right'" [style.grid-column]="seat.x + 1"
                    [attr.tabindex]="seat.id === activeId() ? 0 : -1" [attr.aria-pressed]="selectedSet().has(seat.id)"
                    [attr.aria-disabled]="!isSelectable(seat) || null" [attr.aria-label]="label(seat)"
                    (click)="pick(seat)" (focus)="activeId.set(seat.id)">
                    <span aria-hidden="true">{{ glyph(seat) }}</span>
                  </button>
                }
              </div>
              <span class="row-name" aria-hidden="true">{{ row.name }}</span>
            </div>
          }
        </div>
      </div>
      <span class="fade fade-left" aria-hidden="true"><span>‹</span></span>
      <span class="fade fade-right" aria-hidden="true"><span>›</span></span>
    </div>
    <ul class="legend" aria-label="Legenda">
      <li><span class="key seat" aria-hidden="true"></span>Livre</li>
      <li><span class="key seat chosen" aria-hidden="true">✓</span>Escolhido</li>
      <li><span class="key seat yours" aria-hidden="true">★</span>Reservado por você</li>
      <li><span class="key seat taken" aria-hidden="true">×</span>Ocupado</li>
      <li><span class="key seat" data-type="WHEELCHAIR" aria-hidden="true">♿</span>Cadeirante</li>
      <li><span class="key seat" data-type="COMPANION" aria-hidden="true">A</span>Acompanhante</li>
      <li><span class="key seat" data-type="COUPLE" aria-hidden="true">♥</span>Namoradeira (par)</li>
      <li><span class="key seat" data-type="VIP" aria-hidden="true">V</span>VIP</li>
    </ul>
  `,
  styles: `
    :host { display: block; }
    .viewport { position: relative; border-radius: var(--radius-md); box-shadow: var(--shadow-1); background: var(--color-surface); }
    .scroller { overflow-x: auto; padding: var(--space-3) 0; border-radius: var(--radius-md);
      /* a seat reached by keyboard scrolls clear of the edge fades */
      scroll-padding-inline: 2.5rem; }
    /* While more of the room is out of sight on a side, that edge fades out with an arrow: the map scrolls. */
    .fade { position: absolute; top: 0; bottom: 0; width: 2.5rem; display: flex; align-items: center; pointer-events: none;
      opacity: 0; transition: opacity var(--duration-fast); color: var(--color-text-muted); font-size: var(--text-xl);
      font-weight: var(--weight-bold); }
    .fade-left { left: 0; justify-content: flex-start; padding-left: var(--space-1);
      border-radius: var(--radius-md) 0 0 var(--radius-md); background: linear-gradient(to right, var(--color-surface) 30%, transparent); }
    .fade-right { right: 0; justify-content: flex-end; padding-right: var(--space-1);
      border-radius: 0 var(--radius-md) var(--radius-md) 0; background: linear-gradient(to left, var(--color-surface) 30%, transparent); }
    .more-left .fade-left, .more-right .fade-right { opacity: 1; }
    .scroll-hint { display: flex; align-items: center; justify-content: center; gap: var(--space-2); margin: 0 0 var(--space-2);
      font-size: var(--text-sm); color: var(--color-text-muted); }
    .hint-arrows { font-weight: var(--weight-bold); letter-spacing: 0.2em; }
    .room { width: max-content; margin: 0 auto; padding: 0 var(--space-3); }
    .screen { margin: 0 var(--space-6) var(--space-4); padding-top: var(--space-1); border-top: 6px solid var(--screen);
      border-radius: var(--radius-sm); text-align: center; font-size: var(--text-xs); letter-spacing: 0.3em;
      text-transform: uppercase; color: var(--color-text-muted); }
    .row { display: flex; align-items: center; gap: var(--space-2); margin-bottom: 4px; }
    .row-name { width: 1rem; text-align: center; font-size: var(--text-xs); font-weight: var(--weight-bold); color: var(--color-text-muted); }
    .seats { display: grid; grid-template-columns: repeat(var(--cols), var(--seat-size)); gap: 4px; }
    .seat { width: var(--seat-size); height: var(--seat-size); padding: 0; display: grid; place-items: center;
      border: 2px solid var(--seat-available-border); border-radius: var(--radius-sm) var(--radius-sm) 8px 8px;
      background: var(--seat-available); color: var(--color-text); font: inherit; font-size: var(--text-xs);
      font-weight: var(--weight-bold); line-height: 1; cursor: pointer;
      transition: background-color var(--duration-fast), border-color var(--duration-fast); }
    .seat[data-type='WHEELCHAIR'], .seat[data-type='COMPANION'] { border-color: var(--seat-accessible); color: var(--seat-accessible); }
    .seat[data-type='COUPLE'] { border-color: var(--seat-couple); color: var(--seat-couple); }
    .seat[data-type='VIP'] { border-color: var(--seat-vip); color: var(--seat-vip); }
    .seat.pair-left { border-top-right-radius: 0; border-bottom-right-radius: 0; }
    .seat.pair-right { border-top-left-radius: 0; border-bottom-left-radius: 0; }
    .seat.taken { background: var(--seat-taken); border-color: var(--seat-taken); color: var(--seat-on-taken); cursor: not-allowed; }
    .seat[aria-pressed='true'], .seat.chosen { background: var(--seat-selected); border-color: var(--seat-selected); color: var(--seat-on-selected); }
    .seat.yours { background: var(--seat-yours); border-color: var(--seat-yours); color: var(--seat-on-yours); }
    .seat:not(.taken):hover { border-color: var(--seat-selected); }
    .legend { display: flex; flex-wrap: wrap; gap: var(--space-2) var(--space-4); list-style: none; margin: var(--space-3) 0 0;
      padding: 0; font-size: var(--text-sm); color: var(--color-text-muted); }
    .legend li { display: flex; align-items: center; gap: var(--space-2); }
    .key { width: 1.25rem; height: 1.25rem; cursor: default; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SeatMap {
  readonly seatMap = input.required<Schemas['SeatMap']>();
  /** Ids of the seats the buyer picked. */
  readonly selected = input<readonly string[]>([]);
  readonly roomName = input('');
  /** A selectable seat was activated (click, Enter or Space). */
  readonly toggle = output<Seat>();

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly helpId = `seat-map-help-${nextId++}`;
  protected readonly isSelectable = isSelectable;

  protected readonly selectedSet = computed(() => new Set(this.selected()));
  private readonly byId = computed(() => new Map(this.seatMap().seats.map((s) => [s.id, s])));
  protected readonly rows = computed(() => {
    const rows = new Map<number, Seat[]>();
    for (const s of this.seatMap().seats) rows.set(s.y, [...(rows.get(s.y) ?? []), s]);
    return [...rows.entries()]
      .sort(([a], [b]) => a - b)
      .map(([y, seats]) => ({ y, name: seats[0].row, seats: seats.sort((a, b) => a.x - b.x) }));
  });

  /** The seat holding the tab stop: the first selectable one until the buyer moves. */
  readonly activeId = linkedSignal<string>(() => {
    const seats = this.rows().flatMap((r) => r.seats);
    return (seats.find(isSelectable) ?? seats[0])?.id ?? '';
  });

  /** What of the room is out of sight, left and right; drawn as edge fades. */
  protected readonly edges = signal<ScrollEdges>({ left: false, right: false });
  /** The buyer moved the map sideways (by touch, mouse or the keyboard focus): the hint has done its job. */
  private readonly scrolled = signal(false);
  /** "Arraste para ver a sala toda", while the room is wider than the screen and the buyer has not moved it yet. */
  protected readonly showHint = computed(() => !this.scrolled() && (this.edges().left || this.edges().right));
  /** Where the map was put at the start; a scroll away from it is the buyer's. */
  private startLeft = 0;

  constructor() {
    // On a phone the room is wider than the screen: start at its middle, where the best seats are.
    afterNextRender(() => {
      const scroller = this.scroller();
      if (!scroller) return;
      scroller.scrollLeft = (scroller.scrollWidth - scroller.clientWidth) / 2;
      this.startLeft = scroller.scrollLeft;
      this.measure();
      // The room's width changes with the seat map, the screen's with rotation and resizing.
      if (typeof ResizeObserver === 'undefined') return;
      const observer = new ResizeObserver(() => this.measure());
      observer.observe(scroller);
      const room = scroller.querySelector('.room');
      if (room) observer.observe(room);
      this.destroyRef.onDestroy(() => observer.disconnect());
    });
  }

  private scroller(): HTMLElement | null {
    return this.host.nativeElement.querySelector<HTMLElement>('.scroller');
  }

  private measure(): void {
    const scroller = this.scroller();
    if (!scroller) return;
    const next = scrollEdges(scroller);
    const now = this.edges();
    if (next.left !== now.left || next.right !== now.right) this.edges.set(next);
  }

  protected onScroll(): void {
    const scroller = this.scroller();
    if (scroller && Math.abs(scroller.scrollLeft - this.startLeft) > EDGE_SLACK) this.scrolled.set(true);
    this.measure();
  }

  protected label(seat: Seat): string {
    return seatLabel(seat);
  }

  protected glyph(seat: Seat): string {
    if (this.selectedSet().has(seat.id)) return '✓';
    if (seat.yours) return '★';
    if (!isSelectable(seat)) return '×';
    switch (seat.type) {
      case 'WHEELCHAIR':
        return '♿';
      case 'COMPANION':
        return 'A';
      case 'COUPLE':
        return '♥';
      case 'VIP':
        return 'V';
      default:
        return String(seat.number);
    }
  }

  protected pairSide(seat: Seat): 'left' | 'right' | null {
    if (seat.type !== 'COUPLE' || !seat.pair) return null;
    const other = this.byId().get(seat.pair);
    if (!other || other.y !== seat.y) return null;
    return other.x > seat.x ? 'left' : 'right';
  }

  protected pick(seat: Seat): void {
    this.activeId.set(seat.id);
    if (isSelectable(seat) || this.selectedSet().has(seat.id)) this.toggle.emit(seat);
  }

  protected onKeydown(event: KeyboardEvent): void {
    if (!DIRECTIONS.includes(event.key)) return;
    const from = this.byId().get(this.activeId());
    if (!from) return;
    event.preventDefault();
    const to = nextSeat(this.seatMap().seats, from, event.key as Direction);
    this.activeId.set(to.id);
    this.host.nativeElement.querySelector<HTMLButtonElement>(`[data-seat="${to.id}"]`)?.focus();
  }
}
