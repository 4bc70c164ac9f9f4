import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { Schemas } from '../../api/api-client';
import { formatDayChip, formatMoney } from '../../shared/locale/format';
import { formatInt } from '../admin-format';

type Day = Schemas['SalesReportDay'];

export interface ChartModel {
  width: number;
  height: number;
  plot: { left: number; right: number; top: number; bottom: number };
  bars: { x: number; y: number; w: number; h: number; day: string; label: string }[];
  line: string;
  points: { x: number; y: number }[];
  ticketTicks: { y: number; label: string }[];
  revenueTicks: { y: number; label: string }[];
  dayLabels: { x: number; label: string }[];
}

/** A round maximum for an axis (1, 2 or 5 × a power of ten) at or above the data's. */
export function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

/** Tickets as bars on the left axis, bomboniere revenue as a line on the right one. */
export function chartModel(days: Day[], width = 720, height = 280): ChartModel {
  const plot = { left: 56, right: width - 80, top: 16, bottom: height - 40 };
  const n = Math.max(days.length, 1);
  const slot = (plot.right - plot.left) / n;
  const tMax = niceMax(Math.max(0, ...days.map((d) => d.ticketsSold)));
  const rMax = niceMax(Math.max(0, ...days.map((d) => d.concessionsRevenue.amount)));
  const yT = (v: number) => plot.bottom - (v / tMax) * (plot.bottom - plot.top);
  const yR = (v: number) => plot.bottom - (v / rMax) * (plot.bottom - plot.top);
  const bars = days.map((d, i) => {
    const w = Math.max(2, slot * 0.6);
    const x = plot.left + i * slot + (slot - w) / 2;
    const y = yT(d.ticketsSold);
    return { x, y, w, h: plot.bottom - y, day: d.date, label: `${d.date}: ${d.ticketsSold} ingressos` };
  });
  const points = days.map((d, i) => ({ x: plot.left + i * slot + slot / 2, y: yR(d.concessionsRevenue.amount) }));
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const every = Math.ceil(n / 12);
  return {
    width, height, plot, bars, points,
    line: points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' '),
    ticketTicks: ticks.map((f) => ({ y: yT(f * tMax), label: formatInt(f * tMax) })),
    revenueTicks: ticks.map((f) => ({ y: yR(f * rMax), label: formatMoney({ amount: Math.round(f * rMax), currency: 'BRL' }).replace(/,00$/, '') })),
    dayLabels: days.map((d, i) => ({ x: plot.left + i * slot + slot / 2, label: i % every === 0 ? formatDayChip(d.date).date : '' })),
  };
}

/**
 * Ingressos × bomboniere por dia: an inline SVG (role="img" with a title and
 * a description), followed by the same figures as a table for anyone who
 * cannot see the chart.
 */
@Component({
  selector: 'app-sales-chart',
  template: `
    <figure class="chart">
      <svg [attr.viewBox]="'0 0 ' + m().width + ' ' + m().height" role="img" aria-labelledby="chart-title chart-desc" data-testid="sales-chart">
        <title id="chart-title">Ingressos vendidos e receita da bomboniere por dia</title>
        <desc id="chart-desc">{{ description() }}</desc>
        @for (t of m().ticketTicks; track $index) {
          <line class="grid" [attr.x1]="m().plot.left" [attr.x2]="m().plot.right" [attr.y1]="t.y" [attr.y2]="t.y" />
          <text class="axis" [attr.x]="m().plot.left - 6" [attr.y]="t.y + 4" text-anchor="end">{{ t.label }}</text>
        }
        @for (t of m().revenueTicks; track $index) {
          <text class="axis rev" [attr.x]="m().plot.right + 6" [attr.y]="t.y + 4">{{ t.label }}</text>
        }
        @for (b of m().bars; track b.day) {
          <rect class="bar" [attr.x]="b.x" [attr.y]="b.y" [attr.width]="b.w" [attr.height]="b.h" />
        }
        <path class="line" [attr.d]="m().line" />
        @for (p of m().points; track $index) {
          <circle class="point" [attr.cx]="p.x" [attr.cy]="p.y" r="4" />
        }
        @for (l of m().dayLabels; track $index) {
          <text class="axis" [attr.x]="l.x" [attr.y]="m().plot.bottom + 18" text-anchor="middle">{{ l.label }}</text>
        }
      </svg>
      <figcaption>
        <span class="key"><span class="swatch bar-swatch"></span> Ingressos vendidos (eixo da esquerda)</span>
        <span class="key"><span class="swatch line-swatch"></span> Receita da bomboniere (eixo da direita)</span>
      </figcaption>
    </figure>
    <details>
      <summary>Ver os dados do gráfico em tabela</summary>
      <table class="data" data-testid="chart-table">
        <caption>Ingressos e bomboniere por dia</caption>
        <thead><tr><th scope="col">Dia</th><th scope="col" class="num">Ingressos</th><th scope="col" class="num">Receita da bomboniere</th></tr></thead>
        <tbody>
          @for (d of days(); track d.date) {
            <tr><th scope="row">{{ chip(d.date) }}</th><td class="num">{{ int(d.ticketsSold) }}</td><td class="num">{{ money(d.concessionsRevenue) }}</td></tr>
          }
        </tbody>
      </table>
    </details>
  `,
  styles: `
    .chart { margin: 0; }
    svg { width: 100%; height: auto; max-width: 56rem; display: block; background: var(--color-surface); }
    .grid { stroke: var(--color-border-subtle); }
    .axis { font-size: 11px; fill: var(--color-text-muted); }
    .axis.rev { fill: var(--color-on-info); }
    .bar { fill: var(--color-primary); }
    .line { fill: none; stroke: var(--color-on-info); stroke-width: 3; }
    .point { fill: var(--color-surface); stroke: var(--color-on-info); stroke-width: 2; }
    figcaption { display: flex; gap: var(--space-4); flex-wrap: wrap; font-size: var(--text-sm); margin-top: var(--space-2); }
    .key { display: inline-flex; align-items: center; gap: var(--space-1); }
    .swatch { display: inline-block; width: 1.25rem; height: 0.75rem; }
    .bar-swatch { background: var(--color-primary); }
    .line-swatch { height: 3px; background: var(--color-on-info); }
    details { margin-top: var(--space-3); }
    summary { cursor: pointer; min-height: 2rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SalesChart {
  readonly days = input.required<Day[]>();
  protected readonly m = computed(() => chartModel(this.days()));
  protected readonly int = formatInt;
  protected readonly money = formatMoney;
  protected chip(day: string): string {
    const c = formatDayChip(day);
    return `${c.weekday} ${c.date}`;
  }
  protected readonly description = computed(() => {
    const d = this.days();
    if (!d.length) return 'Sem dados no período.';
    const t = d.reduce((a, x) => a + x.ticketsSold, 0);
    const r = d.reduce((a, x) => a + x.concessionsRevenue.amount, 0);
    const best = d.reduce((a, x) => (x.ticketsSold > a.ticketsSold ? x : a));
    return `${d.length} dias: ${formatInt(t)} ingressos e ${formatMoney({ amount: r, currency: 'BRL' })} de bomboniere no total; ` +
      `o dia com mais ingressos foi ${this.chip(best.date)}, com ${formatInt(best.ticketsSold)}. Os números de cada dia estão na tabela abaixo.`;
  });
}
