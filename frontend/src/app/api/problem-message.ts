import { ApiError } from './api-client';

/** What the buyer reads when a call fails: pt-BR, no internal detail. */
export interface ProblemMessage {
  /** info: the step is not built yet or needs an action; error: something failed. */
  kind: 'info' | 'error';
  title: string;
  detail: string;
  /** The API's stable code, when it sent one. */
  code?: string;
}

/**
 * Turns any failure into a message. Branches on the problem's `code`, never
 * on its title or detail; `detail` is shown only for business rules whose
 * detail the contract writes for buyers (seat taken, meia cap, seat rules).
 */
export function problemMessage(err: unknown, what: string): ProblemMessage {
  if (!(err instanceof ApiError)) {
    return {
      kind: 'error',
      title: 'Sem conexão',
      detail: `Não foi possível ${what}. Verifique sua conexão e tente de novo.`,
    };
  }
  const code = err.code;
  switch (code) {
    case 'not_implemented':
      return {
        kind: 'info',
        code,
        title: 'Ainda não disponível',
        detail: `Não é possível ${what} por aqui ainda: esta etapa do Bilhetagem ainda não está disponível. Nada foi feito.`,
      };
    case 'unauthorized':
      return { kind: 'info', code, title: 'Entre para continuar', detail: `Faça login para ${what}.` };
    case 'forbidden':
      return { kind: 'error', code, title: 'Acesso restrito', detail: 'Sua conta não tem acesso a esta área.' };
    case 'not_found':
    case 'route_not_found':
      return { kind: 'error', code, title: 'Não encontrado', detail: 'O que você procura não existe ou saiu de cartaz.' };
    case 'seat_taken':
    case 'meia_cap_reached':
    case 'seat_rule_violated':
    case 'seat_not_sellable':
    case 'active_hold_exists':
    case 'sales_closed':
    case 'hold_expired':
      return { kind: 'error', code, title: err.problem?.title ?? 'Não foi possível continuar', detail: err.problem?.detail ?? '' };
    case 'rate_limited':
      return { kind: 'error', code, title: 'Muitas tentativas', detail: 'Aguarde um instante e tente de novo.' };
    case 'service_unavailable':
      return { kind: 'error', code, title: 'Serviço indisponível', detail: 'Tente de novo em alguns segundos.' };
    default:
      return {
        kind: 'error',
        code,
        title: 'Algo deu errado',
        detail: `Não foi possível ${what}. Tente de novo em instantes.`,
      };
  }
}
