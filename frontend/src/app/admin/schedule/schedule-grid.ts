import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { clock } from '../admin-format';
import { type Grid, type GridBlock, pct } from './schedule-layout';

/**
 * The schedule grid: one row per room on a time axis; each showtime is a
 * button from its start to busyUntil with the cleaning tail shaded, a
 * cancelled one struck through, and conflicts outlined in red.
 */
@Component({
  selector: 'app-schedule-grid',
  template: `
    <div class="scroller">
      <div class="grid">
        <div class="axis" aria-hidden="true">
          <span class="room-col"></span>
          <div class="track">
            @for (h of grid().hours; track h) {
              <span class="hour" [style.left.%]="at(h)">{{ clock(h) }}</span>
            }
          </div>
        </div>
        @for (row of grid().rows; track row.roomId) {
          <div class="row" role="group" [attr.aria-label]="row.roomName" [attr.data-room]="row.roomId">
            <div class="room-col"><span class="room">{{ row.roomName }}</span><span class="formats">{{ row.formats.join(' · ') }}</span></div>
            <ul class="track" role="list">
              @for (h of grid().hours; track h) {
                <li class="tick" aria-hidden="true" [style.left.%]="at(h)"></li>
              }
              @for (c of row.conflicts; track $index) {
                <li class="band" data-testid="conflict-band" [style.left.%]="at(c.start)" [style.width.%]="at(c.end) - at(c.start)">
                  <span class="visually-hidden">{{ c.label }}</span>
                </li>
              }
              @if (row.blocks.length === 0 && row.conflicts.length === 0) {
                <li class="free">Sem sessões neste dia</li>
              }
              @for (b of row.blocks; track b.id) {
                <li class="slot" [style.left.%]="at(b.start)" [style.width.%]="at(b.busyUntil) - at(b.start)">
                  <button type="button" class="block" [class.cancelled]="b.cancelled" [class.conflict]="b.conflict"
                    [attr.data-showtime]="b.id" (click)="pick.emit(b)">
                    <span class="show" [style.width.%]="showShare(b)">
                      <span class="title">{{ b.showtime.movieTitle }}</span>&ngsp;<span class="time">{{ clock(b.start) }}–{{ clock(b.end) }}</span>
                    </span>
                    <span class="visually-hidden">, {{ b.extra }}</span>
                    <span class="cleaning" aria-hidden="true"></span>
                  </button>
                </li>
              }
            </ul>
          </div>
        }
      </div>
    </div>
    <ul class="legend" aria-label="Legenda">
      <li><span class="swatch s-show"></span> Sessão</li>
      <li><span class="swatch s-clean"></span> Limpeza</li>
      <li><span class="swatch s-cancel"></span> <s>Cancelada</s></li>
      <li><span class="swatch s-conflict"></span> Conflito</li>
    </ul>
  `,
  styles: `
    .scroller { overflow-x: auto; background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1); padding: var(--space-2); }
    .grid { min-width: 50rem; }
    .axis, .row { display: grid; grid-template-columns: 8rem 1fr; align-items: stretch; }
    .axis .track { height: 1.5rem; }
    .track { position: relative; margin: 0; padding: 0; list-style: none; }
    .row { border-top: 1px solid var(--color-border-subtle); min-height: 4rem; }
    .row .track { min-height: 4rem; }
    .room-col { display: flex; flex-direction: column; justify-content: center; padding-right: var(--space-2); }
    .room { font-weight: var(--weight-semibold); }
    .formats { font-size: var(--text-xs); color: var(--color-text-muted); }
    .hour { position: absolute; transform: translateX(-50%); font-size: var(--text-xs); color: var(--color-text-muted); }
    .tick { position: absolute; top: 0; bottom: 0; border-left: 1px solid var(--color-border-subtle); }
    .free { position: absolute; left: var(--space-2); top: 50%; transform: translateY(-50%); color: var(--color-text-muted); font-size: var(--text-sm); }
    .slot { position: absolute; top: var(--space-2); bottom: var(--space-2); }
    .band { position: absolute; top: 2px; bottom: 2px; background: var(--color-danger-bg); border: 2px dashed var(--color-danger); border-radius: var(--radius-sm); }
    .block { display: flex; width: 100%; height: 100%; padding: 0; border: 1px solid var(--color-on-info); border-radius: var(--radius-sm);
      background: var(--color-info-bg); color: var(--color-on-info); font: inherit; text-align: left; cursor: pointer; overflow: hidden; }
    .block:hover .title { text-decoration: underline; }
    .show { display: flex; flex-direction: column; justify-content: center; padding: 0 var(--space-1); min-width: 0; }
    .title, .time { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; font-size: var(--text-xs); }
    .title { font-weight: var(--weight-semibold); }
    .cleaning { flex: 1; background: repeating-linear-gradient(135deg, var(--color-surface-sunken) 0 4px, var(--color-border-subtle) 4px 8px);
      border-left: 1px dashed var(--color-on-info); }
    .block.cancelled { background: var(--color-surface-sunken); color: var(--color-text-muted); border-style: dashed; border-color: var(--color-border); }
    .block.cancelled .title, .block.cancelled .time { text-decoration: line-through; }
    .block.conflict { border: 3px solid var(--color-danger); background: var(--color-danger-bg); color: var(--color-danger); }
    .legend { display: flex; gap: var(--space-4); list-style: none; padding: 0; margin: var(--space-2) 0 0; font-size: var(--text-sm); }
    .legend li { display: flex; align-items: center; gap: var(--space-1); }
    .swatch { display: inline-block; width: 1.5rem; height: 0.9rem; border-radius: 2px; border: 1px solid var(--color-on-info); }
    .s-show { background: var(--color-info-bg); }
    .s-clean { background: repeating-linear-gradient(135deg, var(--color-surface-sunken) 0 4px, var(--color-border-subtle) 4px 8px); }
    .s-cancel { background: var(--color-surface-sunken); border-style: dashed; border-color: var(--color-border); }
    .s-conflict { background: var(--color-danger-bg); border: 2px solid var(--color-danger); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ScheduleGrid {
  readonly grid = input.required<Grid>();
  readonly pick = output<GridBlock>();
  protected readonly clock = clock;

  protected at(minutes: number): number {
    return pct(this.grid(), minutes);
  }

  /** The share of a block taken by the movie itself (the rest is cleaning). */
  protected showShare(b: GridBlock): number {
    const total = b.busyUntil - b.start;
    return total > 0 ? ((b.end - b.start) / total) * 100 : 100;
  }
}
