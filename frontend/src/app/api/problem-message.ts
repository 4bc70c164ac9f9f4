import { formatTimeOfDay } from '../shared/locale/format';
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
 * on its title; the titles are the SPA's own, and the server's `detail` is
 * shown (as a sentence) only for business rules whose detail the contract
 * writes for buyers (meia cap, seat rules, why an account cannot be deleted
 * yet); a taken seat is told from `seats`.
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
    case 'hold_not_active':
    case 'order_not_payable':
    case 'payment_in_progress':
    case 'invalid_payment_token':
    case 'installments_not_offered':
    case 'order_not_cancellable':
    case 'wrong_showtime':
    case 'outside_check_in_window':
    case 'pickup_not_found':
    case 'pickup_wrong_cinema':
    case 'pickup_not_valid':
    case 'pickup_already_redeemed':
    case 'account_has_open_order':
    case 'account_has_future_tickets':
      return { kind: 'error', code, title: RULE_TITLES[code], detail: ruleDetail(code, err) };
    case 'waiting_room_required':
      return { kind: 'info', code, title: 'Esta sessão tem fila virtual', detail: 'Entre na fila para reservar seus assentos.' };
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

/** The SPA's own titles for the business rules (the server's titles are generic, like "Conflito"). */
const RULE_TITLES: Record<string, string> = {
  seat_taken: 'Assento indisponível',
  meia_cap_reached: 'Meia-entrada esgotada',
  seat_rule_violated: 'Escolha não permitida',
  seat_not_sellable: 'Assento indisponível',
  active_hold_exists: 'Você já tem assentos reservados nesta sessão',
  sales_closed: 'Vendas encerradas',
  hold_expired: 'Sua reserva expirou',
  hold_not_active: 'Reserva encerrada',
  order_not_payable: 'Pedido não pode ser pago',
  payment_in_progress: 'Pagamento em andamento',
  invalid_payment_token: 'Cartão não reconhecido',
  installments_not_offered: 'Parcelamento indisponível',
  order_not_cancellable: 'Não é mais possível cancelar',
  wrong_showtime: 'Ingresso de outra sessão',
  outside_check_in_window: 'Fora do horário de entrada',
  pickup_not_found: 'Código de retirada não encontrado',
  pickup_wrong_cinema: 'Retirada de outro cinema',
  pickup_not_valid: 'Pedido cancelado',
  pickup_already_redeemed: 'Itens já entregues',
  account_has_open_order: 'Um pedido aguarda pagamento',
  account_has_future_tickets: 'Você tem ingressos para uma sessão futura',
};

/** What is read when a refusal comes without the server's detail: the counter's pickup refusals, a buyer's account deletion. */
const FALLBACK_DETAILS: Record<string, string> = {
  pickup_not_found: 'Nenhum pedido pago com itens da bomboniere tem este código. Confira o código com o cliente.',
  pickup_wrong_cinema: 'Este código é de um pedido de outro cinema; a retirada é feita lá.',
  pickup_not_valid: 'O pedido deste código não está mais pago. Não entregue os itens.',
  account_has_open_order:
    'Um pedido seu aguarda pagamento. Pague-o ou espere que ele expire antes de excluir a conta; nada foi excluído.',
  account_has_future_tickets:
    'Você tem ingressos válidos para uma sessão que ainda não aconteceu. Cancele o pedido (com reembolso) ou use os ingressos antes de excluir a conta; nada foi excluído.',
};

/** What the buyer reads under a business rule's title: built from `seats` when it says enough, else the server's detail as a sentence. */
function ruleDetail(code: string, err: ApiError): string {
  const seats = err.problem?.seats ?? [];
  const list = seats.join(', ');
  if (code === 'seat_taken' && seats.length) {
    return seats.length === 1
      ? `O assento ${list} acabou de ser reservado por outra pessoa. Ele saiu da sua escolha; escolha outro.`
      : `Os assentos ${list} acabaram de ser reservados por outra pessoa. Eles saíram da sua escolha; escolha outros.`;
  }
  if (code === 'active_hold_exists') return 'Libere a reserva atual para escolher outros assentos.';
  if (code === 'sales_closed') return 'Esta sessão não vende mais ingressos. Escolha outro horário.';
  if (code === 'invalid_payment_token') {
    return 'Confira o número do cartão ou use outro. Nada foi cobrado e seus assentos continuam reservados até o fim do prazo.';
  }
  if (code === 'installments_not_offered') {
    return 'Este cartão não aceita esse número de parcelas. Escolha menos parcelas ou pague à vista; nada foi cobrado.';
  }
  if (code === 'pickup_already_redeemed') {
    const { redeemedAt: at, redeemedBy: by } = err.problem ?? {};
    if (at) return `Já entregue às ${formatTimeOfDay(at)}${by ? ` por ${by}` : ''}. Não entregue de novo.`;
  }
  return sentence(err.problem?.detail) || FALLBACK_DETAILS[code] || 'Revise sua escolha e tente de novo.';
}

/** "restam 1 meia; a reserva pedia 2" → "Restam 1 meia; a reserva pedia 2." */
export function sentence(text: string | undefined): string {
  const t = (text ?? '').trim();
  if (!t) return '';
  const s = t[0].toLocaleUpperCase('pt-BR') + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}
