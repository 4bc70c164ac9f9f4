import type { Schemas } from '../../api/api-client';
import { CINEMAS, cells, money, norm, problem, setupAdmin } from '../admin-testing';
import { MenuPage, stockDeltas } from './menu-page';
import { newProduct, productDraftOf, productInput, validateProduct } from './product-draft';

const PIPOCA: Schemas['AdminProduct'] = {
  id: 'pipoca-salgada', name: 'Pipoca salgada', description: 'Na hora', category: 'PIPOCA', flavours: ['Salgada'], serves: 1, active: true, sortOrder: 10,
  sizes: [{ code: 'M', label: 'Média', price: money(2600) }, { code: 'G', label: 'Grande', price: money(3200) }],
};
const CHOC: Schemas['AdminProduct'] = { ...PIPOCA, id: 'chocolate', name: 'Chocolate', category: 'CHOCOLATE', active: false, sortOrder: 20, flavours: [],
  sizes: [{ code: 'UN', label: 'Único', price: money(900) }] };

describe('product drafts (ProductInput)', () => {
  it('round-trips a product into putProduct’s body', () => {
    expect(validateProduct(productDraftOf(PIPOCA), false)).toEqual({});
    expect(productInput(productDraftOf(PIPOCA))).toEqual({
      name: 'Pipoca salgada', description: 'Na hora', category: 'PIPOCA', flavours: ['Salgada'], serves: 1, active: true, sortOrder: 10,
      sizes: [{ code: 'M', label: 'Média', price: money(2600) }, { code: 'G', label: 'Grande', price: money(3200) }],
    });
  });

  it('names the broken rules: id, sizes, prices, combo items', () => {
    const d = { ...newProduct(), id: 'Pipoca Doce', name: '', sizes: [{ code: 'g', label: '', price: '-1' }, { code: 'M', label: 'M', price: '2,50' }, { code: 'M', label: 'M', price: '3' }] };
    expect(validateProduct(d, true)).toEqual({
      id: 'Use letras minúsculas, números e hífens (ex.: pipoca-doce).', name: 'Informe o nome.',
      'sizes[0].code': 'Código de 1 a 4 letras maiúsculas (P, M, G, UN).', 'sizes[0].label': 'Nome do tamanho, até 40 caracteres.',
      'sizes[0].price': 'Preço em reais, de R$ 0,00 a R$ 10.000,00.', 'sizes[2].code': 'Código repetido.',
    });
    const combo = { ...newProduct(), id: 'combo', name: 'Combo', category: 'COMBO', sizes: [{ code: 'UN', label: 'Único', price: '48' }] };
    expect(validateProduct(combo, true)).toEqual({ comboItems: 'Um combo tem de 1 a 6 itens.' });
    const withItems = { ...combo, comboItems: [{ productId: 'pipoca-salgada', size: 'G', quantity: '2' }] };
    expect(productInput(withItems).comboItems).toEqual([{ productId: 'pipoca-salgada', size: 'G', quantity: 2 }]);
    expect(productInput({ ...withItems, category: 'PIPOCA' }).comboItems).toBeUndefined();
  });

  it('reads stock deltas: whole numbers, blanks skipped, anything else refused', () => {
    const rows = [{ productId: 'a', size: 'G', available: 1, reserved: 0 }, { productId: 'b', size: 'M', available: 1, reserved: 0 }];
    expect(stockDeltas(rows, { 'a/G': '+200', 'b/M': '' })).toEqual([{ productId: 'a', size: 'G', delta: 200 }]);
    expect(stockDeltas(rows, { 'a/G': '-12', 'b/M': '0' })).toEqual([{ productId: 'a', size: 'G', delta: -12 }]);
    expect(stockDeltas(rows, { 'a/G': '1,5' })).toBeNull();
  });
});

describe('MenuPage', () => {
  async function open() {
    const t = setupAdmin(MenuPage);
    t.fixture.detectChanges();
    await t.settle();
    t.json(t.expect1('/admin/concessions'), { items: [CHOC, PIPOCA] });
    t.json(t.expect1('/cinemas'), { items: CINEMAS });
    await t.settle();
    return t;
  }

  it('lists the menu with the active flag and prices in reais', async () => {
    const t = await open();
    t.json(t.expect1('/admin/cinemas/cin-paulista/stock'), { cinemaId: 'cin-paulista', items: [] });
    await t.settle();
    const rows = [...t.el.querySelectorAll('[data-product]')].map(cells);
    expect(rows[0]).toEqual(['Pipoca salgada', 'Pipoca', 'Média R$ 26,00 · Grande R$ 32,00', 'Ativo', 'Editar Pipoca salgada']);
    expect(rows[1][3]).toBe('Inativo');
    expect(norm(t.el.textContent)).toContain('Nenhum item com estoque controlado neste cinema');
  });

  it('edits a product with putProduct and updates the list', async () => {
    const t = await open();
    t.json(t.expect1(/stock/), { cinemaId: 'cin-paulista', items: [] });
    await t.settle();
    t.el.querySelector<HTMLButtonElement>('[data-product="chocolate"] button')!.click();
    await t.settle();
    expect(document.activeElement?.id).toBe('p-name');
    const active = t.el.querySelector<HTMLInputElement>('[data-testid="product-editor"] input[type="checkbox"]')!;
    active.click();
    const price = t.el.querySelector<HTMLInputElement>('#p-size-price-0')!;
    price.value = '9,50';
    price.dispatchEvent(new Event('input'));
    t.el.querySelector<HTMLButtonElement>('[data-testid="product-editor"] button[type="submit"]')!.click();
    await t.settle();
    const req = t.expect1('/admin/concessions/chocolate', 'PUT');
    const body = JSON.parse(req.request.body);
    expect(body.active).toBe(true);
    expect(body.sizes).toEqual([{ code: 'UN', label: 'Único', price: money(950) }]);
    t.json(req, { ...CHOC, active: true, sizes: [{ code: 'UN', label: 'Único', price: money(950) }] });
    await t.settle();
    expect(t.el.querySelector('[data-testid="product-editor"]')).toBeNull();
    expect(cells(t.el.querySelector('[data-product="chocolate"]'))[3]).toBe('Ativo');
  });

  it('adjusts stock, and shows 409 stock_exhausted with its detail, changing nothing', async () => {
    const t = await open();
    t.json(t.expect1('/admin/cinemas/cin-paulista/stock'), { cinemaId: 'cin-paulista', items: [{ productId: 'pipoca-salgada', size: 'G', available: 3, reserved: 1 }] });
    await t.settle();
    const stockRow = () => cells(t.el.querySelector('[data-stock="pipoca-salgada/G"]')).slice(0, 4);
    expect(stockRow()).toEqual(['Pipoca salgada', 'G', '3', '1']);
    const delta = t.el.querySelector<HTMLInputElement>('#delta-0')!;
    delta.value = '-5';
    delta.dispatchEvent(new Event('input'));
    const submit = [...t.el.querySelectorAll<HTMLButtonElement>('button[type="submit"]')].find((b) => norm(b.textContent) === 'Ajustar estoque')!;
    submit.click();
    await t.settle();
    expect(norm(t.el.querySelector('[role="alert"].field-error')?.textContent)).toBe('Escreva o motivo, de 3 a 200 caracteres.');
    const reason = t.el.querySelector<HTMLInputElement>('#stock-reason')!;
    reason.value = 'Perda';
    reason.dispatchEvent(new Event('input'));
    submit.click();
    await t.settle();
    const req = t.expect1('/admin/cinemas/cin-paulista/stock', 'PATCH');
    expect(JSON.parse(req.request.body)).toEqual({ items: [{ productId: 'pipoca-salgada', size: 'G', delta: -5 }], reason: 'Perda' });
    req.flush(...problem(409, 'stock_exhausted', { detail: 'restam 3 unidades de pipoca-salgada G' }));
    await t.settle();
    const notice = norm(t.el.querySelector('[data-testid="stock-problem"]')?.textContent);
    expect(notice).toContain('Estoque insuficiente');
    expect(notice).toContain('Restam 3 unidades de pipoca-salgada G.');
    expect(stockRow()).toEqual(['Pipoca salgada', 'G', '3', '1']);

    delta.value = '200';
    delta.dispatchEvent(new Event('input'));
    submit.click();
    await t.settle();
    t.json(t.expect1('/admin/cinemas/cin-paulista/stock', 'PATCH'), { cinemaId: 'cin-paulista', items: [{ productId: 'pipoca-salgada', size: 'G', available: 203, reserved: 1 }] });
    await t.settle();
    expect(stockRow()).toEqual(['Pipoca salgada', 'G', '203', '1']);
    expect(t.el.querySelector('[data-testid="stock-problem"]')).toBeNull();
  });

  it('adds a line for an item with no stock yet and counts in its first delivery', async () => {
    const t = await open();
    t.json(t.expect1(/stock/), { cinemaId: 'cin-paulista', items: [] });
    await t.settle();
    const product = t.el.querySelector<HTMLSelectElement>('#add-product')!;
    product.value = 'pipoca-salgada';
    product.dispatchEvent(new Event('change'));
    await t.settle();
    expect([...t.el.querySelectorAll<HTMLOptionElement>('#add-size option')].map((o) => o.value)).toEqual(['', 'M', 'G']);
    const size = t.el.querySelector<HTMLSelectElement>('#add-size')!;
    size.value = 'G';
    size.dispatchEvent(new Event('change'));
    await t.settle();
    [...t.el.querySelectorAll<HTMLButtonElement>('button')].find((b) => norm(b.textContent) === 'Adicionar à tabela')!.click();
    await t.settle();
    expect(cells(t.el.querySelector('[data-stock="pipoca-salgada/G"]')).slice(0, 4)).toEqual(['Pipoca salgada', 'G', '—', '—']);
    const delta = t.el.querySelector<HTMLInputElement>('#delta-0')!;
    delta.value = '200';
    delta.dispatchEvent(new Event('input'));
    const reason = t.el.querySelector<HTMLInputElement>('#stock-reason')!;
    reason.value = 'Entrega do fornecedor';
    reason.dispatchEvent(new Event('input'));
    [...t.el.querySelectorAll<HTMLButtonElement>('button[type="submit"]')].find((b) => norm(b.textContent) === 'Ajustar estoque')!.click();
    await t.settle();
    const req = t.expect1('/admin/cinemas/cin-paulista/stock', 'PATCH');
    expect(JSON.parse(req.request.body)).toEqual({ items: [{ productId: 'pipoca-salgada', size: 'G', delta: 200 }], reason: 'Entrega do fornecedor' });
    t.json(req, { cinemaId: 'cin-paulista', items: [{ productId: 'pipoca-salgada', size: 'G', available: 200, reserved: 0 }] });
    await t.settle();
    expect(cells(t.el.querySelector('[data-stock="pipoca-salgada/G"]')).slice(0, 4)).toEqual(['Pipoca salgada', 'G', '200', '0']);
  });

  it('says "Ainda não disponível" for the menu and the stock while they answer 501', async () => {
    const t = setupAdmin(MenuPage);
    t.fixture.detectChanges();
    await t.settle();
    t.expect1('/admin/concessions').flush(...problem(501, 'not_implemented'));
    t.json(t.expect1('/cinemas'), { items: CINEMAS });
    await t.settle();
    t.expect1(/stock/).flush(...problem(501, 'not_implemented'));
    await t.settle();
    expect(norm(t.el.querySelector('[data-testid="products-problem"]')?.textContent)).toContain('Ainda não disponível');
    expect(norm(t.el.querySelector('[data-testid="stock-load-problem"]')?.textContent)).toContain('Ainda não disponível');
  });
});
