import type { Schemas } from '../../api/api-client';
import { CINEMAS, cells, money, norm, problem, setupAdmin } from '../admin-testing';
import { ReportsPage, periodError } from './reports-page';
import { chartModel, niceMax } from './sales-chart';

function figures(over: Partial<Schemas['SalesFigures']> = {}): Schemas['SalesFigures'] {
  return {
    ticketsSold: 812, capacity: 2418, occupancyPercent: 33.58, ticketRevenue: money(2436000), orders: 371, ordersWithConcessions: 168,
    attachRatePercent: 45.28, concessionItems: 402, concessionItemsPickedUp: 380, concessionItemsNotPickedUp: 22, itemsPerTicket: 0.5, concessionsRevenue: money(1130400), meiaTickets: 203, meiaSharePercent: 25, ...over,
  };
}

const REPORT: Schemas['SalesReport'] = {
  from: '2026-03-01', to: '2026-03-02', meiaCapPercent: 40,
  days: [
    { cinemaId: 'cin-paulista', date: '2026-03-01', ...figures() },
    { cinemaId: 'cin-paulista', date: '2026-03-02', ...figures({ ticketsSold: 400, concessionsRevenue: money(500000), meiaSharePercent: 41.5 }) },
  ],
  totals: figures({ ticketsSold: 1212, concessionsRevenue: money(1630400) }),
  topProducts: [{ productId: 'combo-casal', name: 'Combo casal', quantity: 96, revenue: money(633600) }],
};

describe('the sales chart', () => {
  it('rounds axes up to 1, 2 or 5 × a power of ten', () => {
    expect([niceMax(0), niceMax(812), niceMax(1130400), niceMax(3), niceMax(100)]).toEqual([1, 1000, 2000000, 5, 100]);
  });

  it('draws a bar per day for tickets and a line point per day for bomboniere revenue, each on its own axis', () => {
    const m = chartModel(REPORT.days, 720, 280);
    expect(m.bars).toHaveLength(2);
    // 812 of an axis of 1000 is 81.2% of the plot's height.
    const plotH = m.plot.bottom - m.plot.top;
    expect(m.bars[0].h).toBeCloseTo(plotH * 0.812, 5);
    expect(m.bars[1].h).toBeCloseTo(plotH * 0.4, 5);
    // 11.304,00 of 20.000,00 reais.
    expect(m.points[0].y).toBeCloseTo(m.plot.bottom - plotH * (1130400 / 2000000), 5);
    expect(m.line.startsWith('M')).toBe(true);
    expect(m.revenueTicks.at(-1)?.label).toBe('R$\u00a020.000');
    expect(m.ticketTicks.at(-1)?.label).toBe('1.000');
  });

  it('checks the period: in order, at most 92 days', () => {
    expect(periodError('2026-03-01', '2026-05-31')).toBeNull();
    expect(periodError('2026-03-01', '2026-06-01')).toBe('No máximo 92 dias por relatório.');
    expect(periodError('2026-03-02', '2026-03-01')).toBe('O último dia vem depois do primeiro.');
  });
});

describe('ReportsPage', () => {
  async function open() {
    const t = setupAdmin(ReportsPage);
    t.fixture.detectChanges();
    await t.settle();
    t.json(t.expect1('/cinemas'), { items: CINEMAS });
    await t.settle();
    return t;
  }

  it('shows the days with totals in BRL and percent, the meia share against the cap, top products, the chart and its table, and the CSV link', async () => {
    const t = await open();
    const req = t.expect1(/^\/admin\/reports\/sales\?cinemaId=cin-paulista&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/);
    t.json(req, REPORT);
    await t.settle();
    const rows = [...t.el.querySelectorAll('[data-testid="report-days"] tbody tr')].map((r) => cells(r).join(' | '));
    expect(rows).toEqual([
      'dom. 01/03 | 812 | 33,6% | R$ 24.360,00 | R$ 11.304,00 | 45,3% | 0,50 | 380 | 22 | 25,0%',
      'seg. 02/03 | 400 | 33,6% | R$ 24.360,00 | R$ 5.000,00 | 45,3% | 0,50 | 380 | 22 | 41,5% acima do limite',
    ]);
    expect(cells(t.el.querySelector('[data-testid="report-days"] tfoot tr')).join(' | '))
      .toBe('Total | 1.212 | 33,6% | R$ 24.360,00 | R$ 16.304,00 | 45,3% | 0,50 | 380 | 22 | 25,0%');
    expect(cells(t.el.querySelector('[data-testid="top-products"] tbody tr'))).toEqual(['Combo casal', '96', 'R$ 6.336,00']);
    const svg = t.el.querySelector('svg[data-testid="sales-chart"]')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.querySelectorAll('rect.bar')).toHaveLength(2);
    expect(norm(svg.querySelector('desc')?.textContent)).toContain('2 dias: 1.212 ingressos e R$ 16.304,00 de bomboniere no total');
    expect([...t.el.querySelectorAll('[data-testid="chart-table"] tbody tr')].map(cells))
      .toEqual([['dom. 01/03', '812', 'R$ 11.304,00'], ['seg. 02/03', '400', 'R$ 5.000,00']]);
    const csv = t.el.querySelector<HTMLAnchorElement>('[data-testid="csv-link"]')!;
    expect(norm(csv.textContent)).toBe('Baixar CSV');
    expect(new URL(csv.href).searchParams.get('format')).toBe('csv');
    expect(new URL(csv.href).pathname).toBe('/api/admin/reports/sales');
  });

  it('downloads the CSV through the API with the token', async () => {
    const t = await open();
    t.json(t.expect1(/reports\/sales/), REPORT);
    await t.settle();
    const created = vi.fn(() => 'blob:x');
    Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() });
    t.el.querySelector<HTMLAnchorElement>('[data-testid="csv-link"]')!.click();
    await t.settle();
    const req = t.expect1(/reports\/sales\?.*format=csv/);
    expect(req.request.headers.get('Authorization')).toBe('Bearer tok');
    req.flush('cinema_id,date\ncin-paulista,2026-03-01\n', { status: 200, statusText: 'OK', headers: { 'Content-Type': 'text/csv' } });
    await t.settle();
    expect(created).toHaveBeenCalledTimes(1);
  });

  it('refuses a period of more than 92 days without asking the API', async () => {
    const t = await open();
    t.json(t.expect1(/reports\/sales/), REPORT);
    await t.settle();
    const from = t.el.querySelector<HTMLInputElement>('#rep-from')!;
    from.value = '2026-01-01';
    from.dispatchEvent(new Event('change'));
    const to = t.el.querySelector<HTMLInputElement>('#rep-to')!;
    to.value = '2026-06-30';
    to.dispatchEvent(new Event('change'));
    t.el.querySelector<HTMLButtonElement>('form button[type="submit"]')!.click();
    await t.settle();
    t.http.expectNone((r) => r.url.includes('/reports/sales'));
    expect(norm(t.el.querySelector('[role="alert"].field-error')?.textContent)).toBe('No máximo 92 dias por relatório.');
  });

  it('says "Ainda não disponível" while getSalesReport answers 501', async () => {
    const t = await open();
    t.expect1(/reports\/sales/).flush(...problem(501, 'not_implemented'));
    await t.settle();
    expect(norm(t.el.querySelector('[data-testid="report-problem"]')?.textContent)).toContain('Ainda não disponível');
  });

  it('says so when the period has no sale nor showtime', async () => {
    const t = await open();
    t.json(t.expect1(/reports\/sales/), { ...REPORT, days: [], topProducts: [] });
    await t.settle();
    expect(norm(t.el.textContent)).toContain('Nenhuma venda nem sessão neste período.');
  });
});
