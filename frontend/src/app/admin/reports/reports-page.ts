import { ChangeDetectionStrategy, Component, DOCUMENT, computed, inject, resource, signal } from '@angular/core';
import { API_CLIENT, ApiError, type Problem, type Schemas, unwrap } from '../../api/api-client';
import type { ProblemMessage } from '../../api/problem-message';
import { addDays, formatDayChip, formatLongDate, formatMoney } from '../../shared/locale/format';
import { EmptyState, LoadingState, Notice } from '../../shared/ui/page-states';
import { AdminCinemaPicker, AdminCinemas } from '../admin-cinemas';
import { daysBetween, formatDecimal, formatInt, formatPercent, spToday } from '../admin-format';
import { adminProblem } from '../admin-problem';
import { SalesChart } from './sales-chart';

interface Query {
  cinemaId: string;
  from: string;
  to: string;
}

/** The period rules of getSalesReport: both days, in order, at most 92 days. */
export function periodError(from: string, to: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || !/^\d{4}-\d{2}-\d{2}$/.test(to)) return 'Informe o primeiro e o último dia.';
  const n = daysBetween(from, to);
  if (n < 0) return 'O último dia vem depois do primeiro.';
  if (n + 1 > 92) return 'No máximo 92 dias por relatório.';
  return null;
}

/** Relatórios (/admin/relatorios): getSalesReport per day with totals, top products, the chart and the CSV. */
@Component({
  selector: 'app-reports-page',
  imports: [AdminCinemaPicker, SalesChart, LoadingState, EmptyState, Notice],
  template: `
    <h1>Relatórios de vendas</h1>
    <form class="toolbar" novalidate (submit)="run($event)">
      <app-admin-cinema-picker />
      <div class="field"><label for="rep-from">De</label>
        <input id="rep-from" type="date" [value]="from()" (change)="from.set($any($event.target).value)" /></div>
      <div class="field"><label for="rep-to">Até</label>
        <input id="rep-to" type="date" [value]="to()" (change)="to.set($any($event.target).value)" /></div>
      <button type="submit" class="btn btn-primary btn-small">Ver relatório</button>
    </form>
    @if (error(); as e) { <p class="field-error" role="alert">{{ e }}</p> }
    @if (!query()) {
      <app-loading-state label="Carregando cinemas…" [count]="1" />
    } @else if (report.error(); as err) {
      <app-notice [message]="message(err, 'ver o relatório de vendas')" [retryable]="true" (retry)="report.reload()" data-testid="report-problem" />
    } @else if (!report.hasValue()) {
      <app-loading-state label="Carregando o relatório…" [count]="3" />
    } @else if (report.value()!.days.length === 0) {
      <app-empty-state message="Nenhuma venda nem sessão neste período." />
    } @else {
      @let r = report.value()!;
      <div class="head">
        <h2>{{ cinemaName() }} · {{ longDate(r.from) }} a {{ longDate(r.to) }}</h2>
        <a [href]="csvHref()" (click)="downloadCsv($event)" data-testid="csv-link">Baixar CSV</a>
      </div>
      @if (csvProblem(); as p) { <app-notice [message]="p" /> }
      <div class="table-wrap" tabindex="0" role="region" aria-label="Tabela de vendas por dia (role para ver todas as colunas)">
        <table class="data" data-testid="report-days">
          <caption>Ingressos e bomboniere por dia. Meia-entrada comparada ao limite de {{ pct(r.meiaCapPercent) }} por sessão.</caption>
          <thead>
            <tr><th scope="col">Dia</th><th scope="col" class="num">Ingressos</th><th scope="col" class="num">Ocupação</th>
              <th scope="col" class="num">Receita de ingressos</th><th scope="col" class="num">Receita da bomboniere</th>
              <th scope="col" class="num">Pedidos com bomboniere</th><th scope="col" class="num">Itens por ingresso</th>
              <th scope="col" class="num">Itens retirados</th><th scope="col" class="num">Itens não retirados</th>
              <th scope="col" class="num">Meia-entrada</th></tr>
          </thead>
          <tbody>
            @for (d of r.days; track d.cinemaId + d.date) {
              <tr>
                <th scope="row">{{ chip(d.date) }}</th>
                <td class="num">{{ int(d.ticketsSold) }}</td>
                <td class="num">{{ pct(d.occupancyPercent) }}</td>
                <td class="num">{{ money(d.ticketRevenue) }}</td>
                <td class="num">{{ money(d.concessionsRevenue) }}</td>
                <td class="num">{{ pct(d.attachRatePercent) }}</td>
                <td class="num">{{ dec(d.itemsPerTicket) }}</td>
                <td class="num">{{ int(d.concessionItemsPickedUp) }}</td>
                <td class="num">{{ int(d.concessionItemsNotPickedUp) }}</td>
                <td class="num">{{ pct(d.meiaSharePercent) }}
                  @if (d.meiaSharePercent > r.meiaCapPercent) { <span class="tag off">acima do limite</span> }</td>
              </tr>
            }
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td class="num">{{ int(r.totals.ticketsSold) }}</td>
              <td class="num">{{ pct(r.totals.occupancyPercent) }}</td>
              <td class="num">{{ money(r.totals.ticketRevenue) }}</td>
              <td class="num">{{ money(r.totals.concessionsRevenue) }}</td>
              <td class="num">{{ pct(r.totals.attachRatePercent) }}</td>
              <td class="num">{{ dec(r.totals.itemsPerTicket) }}</td>
              <td class="num">{{ int(r.totals.concessionItemsPickedUp) }}</td>
              <td class="num">{{ int(r.totals.concessionItemsNotPickedUp) }}</td>
              <td class="num">{{ pct(r.totals.meiaSharePercent) }}</td>
            </tr>
          </tfoot>
        </table>
      </div>
      <div class="two">
        <section aria-labelledby="chart-h"><h2 id="chart-h">Ingressos × bomboniere por dia</h2><app-sales-chart [days]="r.days" /></section>
        <section aria-labelledby="top-h">
          <h2 id="top-h">Produtos mais vendidos</h2>
          @if (r.topProducts.length === 0) {
            <app-empty-state message="Nenhum produto vendido no período." />
          } @else {
            <table class="data" data-testid="top-products">
              <thead><tr><th scope="col">Produto</th><th scope="col" class="num">Quantidade</th><th scope="col" class="num">Receita</th></tr></thead>
              <tbody>
                @for (p of r.topProducts; track p.productId) {
                  <tr><th scope="row">{{ p.name }}</th><td class="num">{{ int(p.quantity) }}</td><td class="num">{{ money(p.revenue) }}</td></tr>
                }
              </tbody>
            </table>
          }
        </section>
      </div>
    }
  `,
  styles: `
    .head { display: flex; align-items: baseline; justify-content: space-between; gap: var(--space-3); flex-wrap: wrap; }
    h2 { font-size: var(--text-lg); }
    .head a { font-weight: var(--weight-semibold); display: inline-flex; align-items: center; min-height: var(--touch-target); }
    [data-testid='report-days'] th[scope='row'] { white-space: nowrap; }
    .two { display: grid; grid-template-columns: 2fr 1fr; gap: var(--space-5); margin-top: var(--space-5); align-items: start; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReportsPage {
  private readonly api = inject(API_CLIENT);
  private readonly document = inject(DOCUMENT);
  protected readonly cinemas = inject(AdminCinemas);
  protected readonly message = adminProblem;
  protected readonly longDate = formatLongDate;
  protected readonly money = formatMoney;
  protected readonly pct = formatPercent;
  protected readonly int = formatInt;
  protected readonly dec = formatDecimal;
  protected readonly from = signal(addDays(spToday(), -6));
  protected readonly to = signal(spToday());
  protected readonly error = signal<string | null>(null);
  protected readonly csvProblem = signal<ProblemMessage | null>(null);
  /** The period asked for; the cinema follows the picker. */
  private readonly period = signal<{ from: string; to: string }>({ from: this.from(), to: this.to() });
  protected readonly query = computed<Query | undefined>(() =>
    this.cinemas.cinemaId() ? { cinemaId: this.cinemas.cinemaId(), ...this.period() } : undefined,
  );
  protected readonly report = resource({
    params: () => this.query(),
    loader: async ({ params: q }): Promise<Schemas['SalesReport']> =>
      // JSON unless format=csv is asked for (the contract lists both bodies).
      unwrap(await this.api.GET('/admin/reports/sales', { params: { query: { cinemaId: q.cinemaId, from: q.from, to: q.to } } })) as Schemas['SalesReport'],
  });
  protected readonly cinemaName = computed(() => this.cinemas.cinema()?.name ?? '');

  protected chip(day: string): string {
    const c = formatDayChip(day);
    return `${c.weekday} ${c.date}`;
  }

  protected csvHref(): string {
    const q = this.query();
    if (!q) return '';
    const params = new URLSearchParams({ cinemaId: q.cinemaId, from: q.from, to: q.to, format: 'csv' });
    return new URL(`/api/admin/reports/sales?${params}`, this.document.baseURI).href;
  }

  protected run(event: Event): void {
    event.preventDefault();
    const err = periodError(this.from(), this.to());
    this.error.set(err);
    if (!err) this.period.set({ from: this.from(), to: this.to() });
  }

  /** The CSV needs the bearer token, so it is fetched through the API client and saved from a blob. */
  protected async downloadCsv(event: Event): Promise<void> {
    event.preventDefault();
    const q = this.query();
    if (!q) return;
    this.csvProblem.set(null);
    try {
      const res = await this.api.GET('/admin/reports/sales', {
        params: { query: { cinemaId: q.cinemaId, from: q.from, to: q.to, format: 'csv' } },
        parseAs: 'text',
      });
      if (!res.response.ok) {
        let problem: Problem | undefined;
        try {
          problem = JSON.parse(String(res.error)) as Problem;
        } catch {
          problem = undefined;
        }
        throw new ApiError(res.response.status, problem?.code ? problem : undefined);
      }
      const csv = String(res.data ?? '');
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = this.document.createElement('a');
      a.href = url;
      a.download = `vendas-${q.cinemaId}-${q.from}-a-${q.to}.csv`;
      this.document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      this.csvProblem.set(adminProblem(err, 'baixar o CSV'));
    }
  }
}
