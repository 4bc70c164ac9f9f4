import type { Schemas } from '../../api/api-client';
import { CINEMAS, cells, money, norm, problem, setupAdmin } from '../admin-testing';
import { gridOf, tableInput } from './price-grid';
import { PricesPage } from './prices-page';

const TABLE: Schemas['PriceTable'] = {
  cinemaId: 'cin-paulista',
  rules: [
    { format: '2D', weekdays: ['MON', 'WED', 'THU'], inteira: money(3600) },
    { format: '2D', weekdays: ['TUE'], inteira: money(2000) },
    { format: '2D', weekdays: ['FRI', 'SAT', 'SUN'], inteira: money(4400) },
  ],
  seatSurcharges: [{ seatType: 'VIP', amount: money(1000) }],
  promoWeekdays: ['TUE'],
};

describe('the price grid', () => {
  it('spreads rules over format × weekday and groups equal prices back into rules', () => {
    const g = gridOf(TABLE);
    expect(g.cells['2D']).toEqual({ MON: '36,00', TUE: '20,00', WED: '36,00', THU: '36,00', FRI: '44,00', SAT: '44,00', SUN: '44,00' });
    expect(g.cells['3D'].MON).toBe('');
    const { input, errors } = tableInput(g);
    expect(errors).toEqual([]);
    expect(input).toEqual({
      rules: [
        { format: '2D', weekdays: ['MON', 'WED', 'THU'], inteira: money(3600) },
        { format: '2D', weekdays: ['TUE'], inteira: money(2000) },
        { format: '2D', weekdays: ['FRI', 'SAT', 'SUN'], inteira: money(4400) },
      ],
      seatSurcharges: [{ seatType: 'VIP', amount: money(1000) }],
      promoWeekdays: ['TUE'],
    });
  });

  it('refuses a format priced on some days only, and a price that is not an amount', () => {
    const g = gridOf(TABLE);
    g.cells['3D'].MON = '50';
    g.cells['2D'].FRI = 'quarenta';
    g.surcharges.COUPLE = '-5';
    expect(tableInput(g).errors).toEqual([
      '2D, sexta-feira: “quarenta” não é um preço válido.',
      '3D: falta o preço de terça-feira, quarta-feira, quinta-feira, sexta-feira, sábado, domingo (preencha a semana inteira ou deixe o formato vazio).',
      'Acréscimo COUPLE: “-5” não é um valor válido.',
    ]);
    expect(tableInput(g).input).toBeUndefined();
  });
});

describe('PricesPage', () => {
  it('shows the grid with promo days, and saves a change with putPriceTable', async () => {
    const t = setupAdmin(PricesPage);
    t.fixture.detectChanges();
    await t.settle();
    t.json(t.expect1('/cinemas'), { items: CINEMAS });
    await t.settle();
    t.json(t.expect1('/admin/cinemas/cin-paulista/prices'), TABLE);
    await t.settle();
    expect(cells(t.el.querySelector('[data-testid="price-grid"] thead tr'))).toEqual(['Formato', 'Seg', 'Terpromo', 'Qua', 'Qui', 'Sex', 'Sáb', 'Dom']);
    expect(t.el.querySelector('[data-testid="price-grid"] thead th.promo .tag')?.textContent).toBe('promo');
    const mon = t.el.querySelector<HTMLInputElement>('input[aria-label="2D, segunda-feira, inteira em reais"]')!;
    expect(mon.value).toBe('36,00');
    mon.value = '38,00';
    mon.dispatchEvent(new Event('input'));
    t.el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await t.settle();
    const req = t.expect1('/admin/cinemas/cin-paulista/prices', 'PUT');
    expect(JSON.parse(req.request.body).rules).toEqual([
      { format: '2D', weekdays: ['MON'], inteira: money(3800) },
      { format: '2D', weekdays: ['TUE'], inteira: money(2000) },
      { format: '2D', weekdays: ['WED', 'THU'], inteira: money(3600) },
      { format: '2D', weekdays: ['FRI', 'SAT', 'SUN'], inteira: money(4400) },
    ]);
    req.flush(...problem(422, 'price_table_incomplete', { detail: 'o formato 3D não tem preço na segunda-feira' }));
    await t.settle();
    const notice = norm(t.el.querySelector('[data-testid="prices-save-problem"]')?.textContent);
    expect(notice).toContain('Tabela de preços incompleta');
    expect(notice).toContain('O formato 3D não tem preço na segunda-feira.');
  });

  it('says "Ainda não disponível" while getPriceTable answers 501', async () => {
    const t = setupAdmin(PricesPage);
    t.fixture.detectChanges();
    await t.settle();
    t.json(t.expect1('/cinemas'), { items: CINEMAS });
    await t.settle();
    t.expect1(/prices/).flush(...problem(501, 'not_implemented'));
    await t.settle();
    expect(norm(t.el.querySelector('[data-testid="prices-problem"]')?.textContent)).toContain('Ainda não disponível');
  });
});
