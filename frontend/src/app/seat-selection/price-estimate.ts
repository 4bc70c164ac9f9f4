import type { Schemas } from '../api/api-client';
import type { SummaryLine } from '../checkout/order-summary';
import { formatMoney } from '../shared/locale/format';

type Money = Schemas['Money'];

const brl = (amount: number): Money => ({ amount, currency: 'BRL' });

/** What the tickets will cost with the convenience fee, before the order prices them. */
export interface PriceEstimate {
  tickets: Money;
  /** The fee of every ticket: the per-ticket fee times the tickets. */
  fee: Money;
  total: Money;
}

/**
 * The estimate before Reservar (or before the order): each seat's price in
 * centavos (ticket type plus any seat surcharge) plus the convenience fee
 * per ticket that createOrder adds (listTicketTypes' `convenienceFee`).
 */
export function priceEstimate(seatCents: readonly number[], feePerTicket: Money): PriceEstimate {
  const tickets = seatCents.reduce((sum, c) => sum + c, 0);
  const fee = feePerTicket.amount * seatCents.length;
  return { tickets: brl(tickets), fee: brl(fee), total: brl(tickets + fee) };
}

/** The fee as a summary line: "Taxa de conveniência — 2 × R$ 4,00". */
export function feeLine(tickets: number, feePerTicket: Money): SummaryLine {
  return {
    label: 'Taxa de conveniência',
    detail: `${tickets} × ${formatMoney(feePerTicket)}`,
    amount: brl(feePerTicket.amount * tickets),
  };
}
