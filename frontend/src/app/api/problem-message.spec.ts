import { ApiError } from './api-client';
import { problemMessage, sentence } from './problem-message';

const err = (status: number, code: string, extra: object = {}) =>
  new ApiError(status, { type: `/problems/${code}`, title: 'Conflito', status, code, ...extra } as never);

describe('problemMessage for the hold rules', () => {
  it('tells a taken seat from `seats`, with the SPA title, not the server’s generic one', () => {
    expect(problemMessage(err(409, 'seat_taken', { detail: 'os assentos F2 acabaram de ser reservados', seats: ['F2'] }), 'reservar assentos'))
      .toEqual({
        kind: 'error', code: 'seat_taken', title: 'Assento indisponível',
        detail: 'O assento F2 acabou de ser reservado por outra pessoa. Ele saiu da sua escolha; escolha outro.',
      });
    expect(problemMessage(err(409, 'seat_taken', { seats: ['F2', 'F3'] }), 'x').detail)
      .toBe('Os assentos F2, F3 acabaram de ser reservados por outra pessoa. Eles saíram da sua escolha; escolha outros.');
  });

  it('shows the server’s buyer-facing detail of a business rule as a sentence', () => {
    const m = problemMessage(err(422, 'meia_cap_reached', { detail: 'restam 1 meias-entradas nesta sessão; a reserva pedia 2' }), 'x');
    expect(m.title).toBe('Meia-entrada esgotada');
    expect(m.detail).toBe('Restam 1 meias-entradas nesta sessão; a reserva pedia 2.');
    expect(problemMessage(err(422, 'seat_rule_violated', { detail: 'a escolha deixa o assento F14 vazio e isolado na fileira' }), 'x'))
      .toMatchObject({ title: 'Escolha não permitida', detail: 'A escolha deixa o assento F14 vazio e isolado na fileira.' });
    expect(problemMessage(err(409, 'active_hold_exists'), 'x').detail).toBe('Libere a reserva atual para escolher outros assentos.');
    expect(problemMessage(err(422, 'sales_closed'), 'x').title).toBe('Vendas encerradas');
  });

  it('names the ticket’s own showtime at the door, from the server’s detail', () => {
    expect(problemMessage(err(409, 'wrong_showtime', { detail: 'este ingresso é de outra sessão: Filme, Sala 1, Cinema, em 04/12/2026 às 21:00' }), 'x'))
      .toEqual({ kind: 'error', code: 'wrong_showtime', title: 'Ingresso de outra sessão',
        detail: 'Este ingresso é de outra sessão: Filme, Sala 1, Cinema, em 04/12/2026 às 21:00.' });
    expect(problemMessage(err(422, 'outside_check_in_window', { detail: 'a entrada da sessão de Filme abre às 20:00' }), 'x'))
      .toMatchObject({ title: 'Fora do horário de entrada', detail: 'A entrada da sessão de Filme abre às 20:00.' });
  });

  it('names the counter\'s pickup refusals in pt-BR, with the server\'s detail or who handed the items over', () => {
    expect(problemMessage(err(404, 'pickup_not_found', { detail: 'nenhum pedido pago com itens da bomboniere tem o código K7M2Q8; confira o código com o cliente' }), 'x'))
      .toEqual({ kind: 'error', code: 'pickup_not_found', title: 'Código de retirada não encontrado',
        detail: 'Nenhum pedido pago com itens da bomboniere tem o código K7M2Q8; confira o código com o cliente.' });
    expect(problemMessage(err(422, 'pickup_wrong_cinema', { detail: 'este código é de um pedido do Bilhetagem Morumbi; a retirada é feita lá' }), 'x'))
      .toMatchObject({ title: 'Retirada de outro cinema', detail: 'Este código é de um pedido do Bilhetagem Morumbi; a retirada é feita lá.' });
    expect(problemMessage(err(409, 'pickup_not_valid', { detail: 'o pedido deste código foi estornado; não entregue os itens' }), 'x'))
      .toMatchObject({ title: 'Pedido cancelado', detail: 'O pedido deste código foi estornado; não entregue os itens.' });
    expect(problemMessage(err(409, 'pickup_already_redeemed', { redeemedAt: '2026-03-19T22:05:12Z', redeemedBy: 'Carla (balcão)' }), 'x'))
      .toMatchObject({ title: 'Itens já entregues', detail: 'Já entregue às 19:05 de 19/03/2026 por Carla (balcão). Não entregue de novo.' });
    // Without the server's detail, still a sentence for the counter.
    expect(problemMessage(err(422, 'pickup_wrong_cinema'), 'x').detail).toBe('Este código é de um pedido de outro cinema; a retirada é feita lá.');
  });

  it("says why the account cannot be deleted yet, with the server's detail naming the order", () => {
    expect(problemMessage(err(409, 'account_has_open_order', { detail: 'o pedido ord-7Kq2 ainda aguarda pagamento; pague ou cancele-o antes de excluir a conta' }), 'excluir sua conta'))
      .toEqual({ kind: 'error', code: 'account_has_open_order', title: 'Um pedido aguarda pagamento',
        detail: 'O pedido ord-7Kq2 ainda aguarda pagamento; pague ou cancele-o antes de excluir a conta.' });
    expect(problemMessage(err(409, 'account_has_future_tickets', {
      detail: 'você tem ingressos para O Agente Secreto em uma sessão que ainda não aconteceu; cancele o pedido ord-7Kq2 (com reembolso) ou use os ingressos antes de excluir a conta',
    }), 'excluir sua conta')).toEqual({ kind: 'error', code: 'account_has_future_tickets', title: 'Você tem ingressos para uma sessão futura',
      detail: 'Você tem ingressos para O Agente Secreto em uma sessão que ainda não aconteceu; cancele o pedido ord-7Kq2 (com reembolso) ou use os ingressos antes de excluir a conta.' });
    // Without the server's detail, still what to do, and that nothing was deleted.
    expect(problemMessage(err(409, 'account_has_open_order'), 'x').detail).toMatch(/^Um pedido seu aguarda pagamento\..*nada foi excluído\.$/);
    expect(problemMessage(err(409, 'account_has_future_tickets'), 'x').detail).toMatch(/^Você tem ingressos válidos .*Cancele o pedido \(com reembolso\).*nada foi excluído\.$/);
  });

  it('sentence() capitalises and ends with a full stop, once', () => {
    expect(sentence('ok')).toBe('Ok.');
    expect(sentence('Já terminou.')).toBe('Já terminou.');
    expect(sentence(undefined)).toBe('');
  });
});
