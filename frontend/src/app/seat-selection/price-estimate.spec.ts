import { feeLine, priceEstimate } from './price-estimate';

const brl = (amount: number) => ({ amount, currency: 'BRL' as const });

describe('the price before Reservar', () => {
  it('adds the convenience fee once per ticket to the seats\' prices', () => {
    expect(priceEstimate([3600, 1800, 5100], brl(400))).toEqual({ tickets: brl(10500), fee: brl(1200), total: brl(11700) });
  });

  it('is nothing for no seats, and just the seats with no fee', () => {
    expect(priceEstimate([], brl(400))).toEqual({ tickets: brl(0), fee: brl(0), total: brl(0) });
    expect(priceEstimate([3600], brl(0)).total).toEqual(brl(3600));
  });

  it('says the fee as a line: how many tickets times the fee, in BRL', () => {
    const line = feeLine(2, brl(400));
    expect(line.label).toBe('Taxa de conveniência');
    expect(line.detail?.replace(/\s/g, ' ')).toBe('2 × R$ 4,00');
    expect(line.amount).toEqual(brl(800));
  });
});
