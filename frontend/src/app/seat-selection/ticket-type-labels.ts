import type { Schemas } from '../api/api-client';

type Code = Schemas['TicketTypeCode'];

/**
 * The ticket types and whether each is a meia-entrada, keyed on the contract's
 * enum (so a new code fails to compile here). Labels and prices come from
 * listTicketTypes when it answers; these are shown until then.
 */
export const TICKET_TYPES: Record<Code, { label: string; meia: boolean }> = {
  INTEIRA: { label: 'Inteira', meia: false },
  MEIA_ESTUDANTE: { label: 'Meia-entrada estudante', meia: true },
  MEIA_IDOSO: { label: 'Meia-entrada 60+', meia: true },
  MEIA_PCD: { label: 'Meia-entrada pessoa com deficiência', meia: true },
  MEIA_ACOMPANHANTE_PCD: { label: 'Meia-entrada acompanhante de PcD', meia: true },
  MEIA_PROFESSOR: { label: 'Meia-entrada professor da rede pública de SP', meia: true },
};

export const TICKET_TYPE_CODES = Object.keys(TICKET_TYPES) as Code[];
