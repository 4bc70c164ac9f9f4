import { ApiError } from '../api/api-client';
import { type ProblemMessage, problemMessage, sentence } from '../api/problem-message';

/** The back office's own titles for the codes its operations answer. */
const TITLES: Record<string, string> = {
  validation_failed: 'Dados inválidos',
  conflict: 'Conflito',
  movie_exists: 'Filme já cadastrado',
  movie_has_showtimes: 'O filme ainda tem sessões',
  room_exists: 'Sala já cadastrada',
  showtime_overlap: 'Horário ocupado',
  showtime_has_holds: 'Sessão com reservas em andamento',
  stock_exhausted: 'Estoque insuficiente',
  layout_invalid: 'Mapa de sala inválido',
  format_not_supported: 'Formato não suportado pela sala',
  movie_retired: 'Filme retirado',
  showtime_cancelled: 'Sessão cancelada',
  seat_occupied: 'Assento ocupado',
  seat_not_sellable: 'Assento fora de venda',
  price_table_incomplete: 'Tabela de preços incompleta',
  combo_invalid: 'Combo inválido',
  product_unavailable: 'Produto indisponível',
  not_found: 'Não encontrado',
};

/**
 * What staff read when a back-office call fails. Unlike the buyer's
 * messages, the server's problem `detail` (pt-BR, never internal) is shown,
 * with the fields a 400 names; a 501 says the function is not available yet.
 */
export function adminProblem(err: unknown, what: string): ProblemMessage {
  if (!(err instanceof ApiError)) return problemMessage(err, what);
  const code = err.code;
  if (err.status === 501 || code === 'not_implemented') {
    return {
      kind: 'info',
      code: 'not_implemented',
      title: 'Ainda não disponível',
      detail: `Esta função do back office ainda não está disponível: não é possível ${what} por enquanto. Nada foi alterado.`,
    };
  }
  if (err.status === 403 || code === 'forbidden') {
    return { kind: 'error', code, title: 'Acesso restrito', detail: 'Esta área é só para a equipe do Bilhetagem.' };
  }
  if (err.status === 401 || code === 'unauthorized') return problemMessage(err, what);
  const base = problemMessage(err, what);
  const fields = (err.problem?.errors ?? []).map((e) => `${e.field}: ${e.message}`).filter((f) => !(err.problem?.detail ?? '').includes(f));
  const detail = [sentence(err.problem?.detail), ...fields.map((f) => sentence(f))].filter(Boolean).join(' ');
  return {
    kind: 'error',
    code,
    title: (code && TITLES[code]) || base.title,
    detail: detail || base.detail,
  };
}

/** A 400's field errors by field path ("times[0]" → message), to show beside the inputs. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const e of err.problem?.errors ?? []) out[e.field] = sentence(e.message);
  return out;
}

/** True when the call failed because the operation is not built yet (501). */
export function isNotImplemented(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 501 || err.code === 'not_implemented');
}
