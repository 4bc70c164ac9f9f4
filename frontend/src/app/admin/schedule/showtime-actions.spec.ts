import type { Schemas } from '../../api/api-client';
import { CINEMAS, norm, problem, setupAdmin } from '../admin-testing';
import { SchedulePage } from './schedule-page';
import { spDateTime, spInstant, validateReschedule } from './showtime-actions';

function st(over: Partial<Schemas['AdminShowtime']> = {}): Schemas['AdminShowtime'] {
  return {
    id: 'st-1', movieId: 'o-agente-secreto', movieTitle: 'O Agente Secreto', cinemaId: 'cin-paulista', cinemaName: 'Bilhetagem Paulista',
    roomId: 'room-1', roomName: 'Sala 1', startsAt: '2035-06-15T19:30:00-03:00', endsAt: '2035-06-15T22:08:00-03:00', format: '2D',
    language: 'NACIONAL', status: 'SCHEDULED', layoutVersion: 1, busyUntil: '2035-06-15T22:30:00-03:00', capacity: 4, sold: 1, ...over,
  };
}

function day(date: string, showtimes: Schemas['AdminShowtime'][]): Schemas['ScheduleDay'] {
  return { cinemaId: 'cin-paulista', date, cleaningMinutes: 20, rooms: [{ roomId: 'room-1', roomName: 'Sala 1', formats: ['2D'], showtimes }] };
}

type Status = Schemas['SeatStatus'];
/** Only the seat map of getShowtime is read by the panel. */
function detail(statuses: Record<string, Status> = {}): Schemas['ShowtimeDetail'] {
  const seat = (id: string, x: number): Schemas['SeatState'] =>
    ({ id, row: 'A', number: x + 1, x, y: 0, type: 'STANDARD', status: statuses[id] ?? 'AVAILABLE', yours: false });
  return { ...st(), seatMap: { layoutVersion: 1, width: 4, height: 1, seats: [seat('A1', 0), seat('A2', 1), seat('A3', 2), seat('A4', 3)] } } as unknown as Schemas['ShowtimeDetail'];
}

describe('reschedule form rules', () => {
  const current = { date: '2035-06-15', time: '19:30' };
  const ok = { date: '2035-06-16', time: '20:00', ticketPlan: 'KEEP_AND_NOTIFY' as const, reason: 'Atraso na cópia.' };

  it('reads and writes São Paulo wall-clock times', () => {
    expect(spDateTime('2035-06-15T22:30:00Z')).toEqual({ date: '2035-06-15', time: '19:30' });
    expect(spDateTime('2035-06-16T02:10:00Z')).toEqual({ date: '2035-06-15', time: '23:10' });
    expect(spInstant('2035-06-16', '20:00')).toBe('2035-06-16T20:00:00-03:00');
  });

  it('asks for a new time on a 5-minute mark, the ticket plan and a reason', () => {
    expect(validateReschedule(ok, current)).toEqual({});
    expect(validateReschedule({ date: '', time: '', ticketPlan: '', reason: ' a ' }, current)).toEqual({
      date: 'Informe o novo dia.', time: 'Informe o novo horário (HH:MM).', ticketPlan: 'Escolha o que acontece com os ingressos.',
      reason: 'Escreva o motivo, de 3 a 300 caracteres.',
    });
    expect(validateReschedule({ ...ok, time: '20:03' }, current).time).toBe('Use marcas de 5 minutos.');
    expect(validateReschedule({ ...ok, ...current }, current).time).toBe('Escolha um horário diferente do atual.');
  });
});

describe('the showtime panel: seat blocks and rescheduling', () => {
  async function openPanel(showtime = st()) {
    const t = setupAdmin(SchedulePage);
    t.fixture.detectChanges();
    await t.settle();
    t.json(t.expect1('/cinemas'), { items: CINEMAS });
    t.json(t.expect1('/admin/movies'), { items: [{ id: 'o-agente-secreto', title: 'O Agente Secreto', retired: false }] });
    await t.settle();
    t.json(t.expect1(/schedule/), day('2035-06-15', [showtime]));
    await t.settle();
    t.el.querySelector<HTMLButtonElement>(`button.block[data-showtime="${showtime.id}"]`)!.click();
    await t.settle();
    return { ...t, dialog: t.el.querySelector('dialog')! };
  }
  const seat = (el: Element, id: string) => el.querySelector<HTMLButtonElement>(`.seat[data-seat="${id}"]`)!;
  const button = (el: Element, text: string) => [...el.querySelectorAll<HTMLButtonElement>('button')].find((b) => norm(b.textContent).startsWith(text))!;
  function type(el: Element, sel: string, value: string, event = 'input') {
    const input = el.querySelector<HTMLInputElement>(sel)!;
    input.value = value;
    input.dispatchEvent(new Event(event));
  }

  it('shows a loading state, then the seat map; an error offers a retry', async () => {
    const t = await openPanel();
    expect(norm(t.dialog.querySelector('[data-testid="seat-blocks"]')?.textContent)).toContain('Carregando o mapa da sala');
    t.expect1('/showtimes/st-1').flush(...problem(503, 'service_unavailable', { detail: 'tente de novo' }));
    await t.settle();
    expect(t.dialog.querySelector('[data-testid="seat-blocks"] app-notice')).not.toBeNull();
    button(t.dialog, 'Tentar').click();
    await t.settle();
    t.json(t.expect1('/showtimes/st-1'), detail({ A4: 'SOLD' }));
    await t.settle();
    expect(seat(t.dialog, 'A1').getAttribute('aria-label')).toBe('A1, livre');
    expect(seat(t.dialog, 'A4').getAttribute('aria-label')).toBe('A4, vendido');
    expect(seat(t.dialog, 'A4').getAttribute('aria-disabled')).toBe('true');
    expect(norm(t.dialog.querySelector('[data-testid="no-blocks"]')?.textContent)).toBe('Nenhum assento bloqueado nesta sessão.');
  });

  it('blocks the picked seats with a reason, lists them with who and when, and unblocks one', async () => {
    const t = await openPanel();
    t.json(t.expect1('/showtimes/st-1'), detail());
    await t.settle();
    button(t.dialog, 'Bloquear assentos').click();
    await t.settle();
    expect(norm(t.dialog.querySelector('#block-error')?.textContent)).toBe('Selecione ao menos um assento no mapa.');
    seat(t.dialog, 'A2').click();
    seat(t.dialog, 'A3').click();
    await t.settle();
    expect(seat(t.dialog, 'A2').getAttribute('aria-pressed')).toBe('true');
    type(t.dialog, '#block-reason', 'Poltrona quebrada.');
    button(t.dialog, 'Bloquear 2 assentos').click();
    await t.settle();
    const req = t.expect1('/admin/showtimes/st-1/blocks', 'POST');
    expect(JSON.parse(req.request.body)).toEqual({ seatIds: ['A2', 'A3'], reason: 'Poltrona quebrada.' });
    const item = (seatId: string) => ({ seatId, reason: 'Poltrona quebrada.', blockedAt: '2035-06-10T15:00:00-03:00', blockedBy: 'carla@bilhetagem.com.br' });
    t.json(req, { showtimeId: 'st-1', items: [item('A2'), item('A3')] });
    await t.settle();
    t.json(t.expect1('/showtimes/st-1'), detail({ A2: 'BLOCKED', A3: 'BLOCKED' }));
    await t.settle();
    expect(norm(t.dialog.querySelector('[data-testid="block-result"]')?.textContent)).toBe('Assentos bloqueados: A2, A3.');
    expect(seat(t.dialog, 'A2').getAttribute('aria-label')).toBe('A2, bloqueado');
    const rows = [...t.dialog.querySelectorAll('[data-testid="blocked-list"] li')].map((li) => norm(li.textContent));
    expect(rows[0]).toBe('A2 — Poltrona quebrada. (carla@bilhetagem.com.br, dom., 10/06 · 15:00)Desbloquear');

    t.dialog.querySelector<HTMLButtonElement>('button[aria-label="Desbloquear A2"]')!.click();
    await t.settle();
    t.expect1('/admin/showtimes/st-1/blocks/A2', 'DELETE').flush(null, { status: 204, statusText: 'No Content' });
    await t.settle();
    t.json(t.expect1('/showtimes/st-1'), detail({ A3: 'BLOCKED' }));
    await t.settle();
    expect(norm(t.dialog.querySelector('[data-testid="block-result"]')?.textContent)).toBe('Assento A2 de volta à venda.');
    expect([...t.dialog.querySelectorAll('[data-testid="blocked-list"] li')].map((li) => li.getAttribute('data-seat'))).toEqual(['A3']);
  });

  it('on 409 seat_occupied marks the seats it names and shows the detail; a 409 on unblocking a layout seat shows its detail', async () => {
    const t = await openPanel();
    t.json(t.expect1('/showtimes/st-1'), detail({ A4: 'BLOCKED' }));
    await t.settle();
    seat(t.dialog, 'A1').click();
    seat(t.dialog, 'A2').click();
    type(t.dialog, '#block-reason', 'Manutenção.');
    await t.settle();
    button(t.dialog, 'Bloquear 2').click();
    await t.settle();
    t.expect1('/admin/showtimes/st-1/blocks', 'POST').flush(...problem(409, 'seat_occupied', { detail: 'O assento A1 foi vendido.', seats: ['A1'] }));
    await t.settle();
    t.json(t.expect1('/showtimes/st-1'), detail({ A1: 'SOLD', A4: 'BLOCKED' }));
    await t.settle();
    const notice = norm(t.dialog.querySelector('[data-testid="block-problem"]')?.textContent);
    expect(notice).toContain('Assento ocupado');
    expect(notice).toContain('O assento A1 foi vendido.');
    expect(seat(t.dialog, 'A1').classList).toContain('occupied');
    expect(seat(t.dialog, 'A1').getAttribute('aria-label')).toBe('A1, vendido, ocupado: não pode ser bloqueado');
    expect(seat(t.dialog, 'A2').classList).not.toContain('occupied');
    expect(seat(t.dialog, 'A2').getAttribute('aria-pressed')).toBe('true');

    t.dialog.querySelector<HTMLButtonElement>('button[aria-label="Desbloquear A4"]')!.click();
    await t.settle();
    t.expect1('/admin/showtimes/st-1/blocks/A4', 'DELETE').flush(...problem(409, 'conflict', { detail: 'O assento A4 está bloqueado pelo mapa da sala.' }));
    await t.settle();
    expect(norm(t.dialog.querySelector('[data-testid="block-problem"]')?.textContent)).toContain('O assento A4 está bloqueado pelo mapa da sala.');
  });

  it('shows the detail of a 422 seat_not_sellable', async () => {
    const t = await openPanel();
    t.json(t.expect1('/showtimes/st-1'), detail());
    await t.settle();
    seat(t.dialog, 'A1').click();
    type(t.dialog, '#block-reason', 'Manutenção.');
    await t.settle();
    button(t.dialog, 'Bloquear 1 assento').click();
    await t.settle();
    t.expect1('/admin/showtimes/st-1/blocks', 'POST').flush(...problem(422, 'seat_not_sellable', { detail: 'O assento A1 não existe nesta sala.' }));
    await t.settle();
    const notice = norm(t.dialog.querySelector('[data-testid="block-problem"]')?.textContent);
    expect(notice).toContain('Assento fora de venda');
    expect(notice).toContain('O assento A1 não existe nesta sala.');
  });

  it('reschedules with a ticket plan, reports the orders and moves the grid to the new day', async () => {
    const t = await openPanel();
    t.json(t.expect1('/showtimes/st-1'), detail());
    await t.settle();
    const form = t.dialog.querySelector('[data-testid="reschedule-form"]')!;
    expect(form.querySelector<HTMLInputElement>('#resched-date')!.value).toBe('2035-06-15');
    expect(form.querySelector<HTMLInputElement>('#resched-time')!.value).toBe('19:30');
    button(form, 'Remarcar sessão').click();
    await t.settle();
    t.http.expectNone((r) => r.url.includes('/reschedule'));
    expect([...form.querySelectorAll('.field-error')].map((e) => norm(e.textContent)))
      .toEqual(['Escolha um horário diferente do atual.', 'Escolha o que acontece com os ingressos.', 'Escreva o motivo, de 3 a 300 caracteres.']);
    type(form, '#resched-date', '2035-06-16', 'change');
    type(form, '#resched-time', '21:00', 'change');
    form.querySelector<HTMLInputElement>('input[value="REFUND_ALL"]')!.click();
    type(form, '#resched-reason', 'Atraso na entrega da cópia.');
    await t.settle();
    button(form, 'Remarcar sessão').click();
    await t.settle();
    const req = t.expect1('/admin/showtimes/st-1/reschedule', 'POST');
    expect(JSON.parse(req.request.body)).toEqual({ startsAt: '2035-06-16T21:00:00-03:00', ticketPlan: 'REFUND_ALL', reason: 'Atraso na entrega da cópia.' });
    const moved = st({ startsAt: '2035-06-16T21:00:00-03:00', endsAt: '2035-06-16T23:38:00-03:00', busyUntil: '2035-06-17T00:00:00-03:00', sold: 0 });
    t.json(req, { showtime: moved, ordersAffected: 3, ordersRefunded: 3, buyersNotified: 2 });
    await t.settle();
    expect(norm(t.el.querySelector('[data-testid="reschedule-result"]')?.textContent))
      .toBe('Sessão de O Agente Secreto remarcada para sáb., 16/06 · 21:00: 3 pedidos afetados, 3 reembolsados, 2 compradores avisados.');
    t.json(t.expect1('/admin/cinemas/cin-paulista/schedule?date=2035-06-16'), day('2035-06-16', [moved]));
    await t.settle();
    expect(norm(t.el.querySelector('button.block[data-showtime="st-1"]')?.textContent)).toContain('21:00–23:38');
    expect(t.el.querySelector('dialog [data-testid="reschedule-form"]')).toBeNull();
  });

  it('on 409 showtime_overlap marks the conflicts on the grid; 409 showtime_has_holds shows its detail', async () => {
    const other = st({ id: 'st-2', startsAt: '2035-06-15T14:00:00-03:00', endsAt: '2035-06-15T16:00:00-03:00', busyUntil: '2035-06-15T16:20:00-03:00' });
    const t = setupAdmin(SchedulePage);
    t.fixture.detectChanges();
    await t.settle();
    t.json(t.expect1('/cinemas'), { items: CINEMAS });
    t.json(t.expect1('/admin/movies'), { items: [] });
    await t.settle();
    t.json(t.expect1(/schedule/), day('2035-06-15', [other, st()]));
    await t.settle();
    t.el.querySelector<HTMLButtonElement>('button.block[data-showtime="st-1"]')!.click();
    await t.settle();
    t.json(t.expect1('/showtimes/st-1'), detail());
    await t.settle();
    const form = t.el.querySelector('[data-testid="reschedule-form"]')!;
    type(form, '#resched-time', '15:00', 'change');
    form.querySelector<HTMLInputElement>('input[value="KEEP_AND_NOTIFY"]')!.click();
    type(form, '#resched-reason', 'Ajuste da grade.');
    await t.settle();
    button(form, 'Remarcar sessão').click();
    await t.settle();
    t.expect1('/admin/showtimes/st-1/reschedule', 'POST').flush(...problem(409, 'showtime_overlap', {
      detail: 'a sala está ocupada', conflicts: [{ roomId: 'room-1', showtimeId: 'st-2', startsAt: other.startsAt, busyUntil: other.busyUntil }],
    }));
    await t.settle();
    // The grid goes to the day of the conflicts, keeping them marked.
    t.json(t.expect1('/admin/cinemas/cin-paulista/schedule?date=2035-06-15'), day('2035-06-15', [other, st()]));
    await t.settle();
    expect(norm(form.querySelector('[data-testid="reschedule-problem"]')?.textContent)).toContain('Horário ocupado');
    expect(norm(form.querySelector('[data-testid="reschedule-conflicts"]')?.textContent)).toContain('até 16:20');
    expect(t.el.querySelector('button.block[data-showtime="st-2"]')?.classList).toContain('conflict');
    expect(t.el.querySelectorAll('[data-testid="conflict-band"]').length).toBe(1);

    button(form, 'Remarcar sessão').click();
    await t.settle();
    t.expect1('/admin/showtimes/st-1/reschedule', 'POST').flush(...problem(409, 'showtime_has_holds', { detail: 'Há reservas em andamento; tente quando expirarem.' }));
    await t.settle();
    const notice = norm(form.querySelector('[data-testid="reschedule-problem"]')?.textContent);
    expect(notice).toContain('Sessão com reservas em andamento');
    expect(notice).toContain('Há reservas em andamento; tente quando expirarem.');
    expect(form.querySelector('[data-testid="reschedule-conflicts"]')).toBeNull();
  });
});
