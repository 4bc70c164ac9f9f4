import type { Schemas } from '../../api/api-client';
import { CINEMAS, norm, problem, setupAdmin } from '../admin-testing';
import { SchedulePage, validateSchedule } from './schedule-page';
import { buildGrid, conflictDays, parseTimes, pct } from './schedule-layout';

function st(over: Partial<Schemas['AdminShowtime']> = {}): Schemas['AdminShowtime'] {
  return {
    id: 'st-1', movieId: 'o-agente-secreto', movieTitle: 'O Agente Secreto', cinemaId: 'cin-paulista', cinemaName: 'Bilhetagem Paulista',
    roomId: 'room-1', roomName: 'Sala 1', startsAt: '2026-12-18T19:30:00-03:00', endsAt: '2026-12-18T22:08:00-03:00', format: '2D',
    language: 'NACIONAL', status: 'SCHEDULED', layoutVersion: 1, busyUntil: '2026-12-18T22:30:00-03:00', capacity: 120, sold: 42, ...over,
  };
}

function day(showtimes: Schemas['AdminShowtime'][] = [st()]): Schemas['ScheduleDay'] {
  return {
    cinemaId: 'cin-paulista', date: '2026-12-18', cleaningMinutes: 20,
    rooms: [
      { roomId: 'room-1', roomName: 'Sala 1', formats: ['2D', '3D'], showtimes },
      { roomId: 'room-2', roomName: 'Sala 2', formats: ['2D'], showtimes: [] },
    ],
  };
}

describe('the schedule grid layout', () => {
  it('places a showtime from its start to busyUntil, the movie’s end between them', () => {
    const g = buildGrid(day());
    expect(g.axisStart).toBe(9 * 60);
    expect(g.axisEnd).toBe(24 * 60);
    const b = g.rows[0].blocks[0];
    expect([b.start, b.end, b.busyUntil]).toEqual([19 * 60 + 30, 22 * 60 + 8, 22 * 60 + 30]);
    expect(b.extra).toBe('sala ocupada até 22:30 (limpeza), 2D nacional, 42 de 120 vendidos');
    expect(pct(g, 9 * 60)).toBe(0);
    expect(pct(g, 24 * 60)).toBe(100);
  });

  it('stretches the axis to a late showtime past midnight and an early one', () => {
    const g = buildGrid(day([
      st({ id: 'a', startsAt: '2026-12-18T07:00:00-03:00', endsAt: '2026-12-18T09:00:00-03:00', busyUntil: '2026-12-18T09:20:00-03:00' }),
      st({ id: 'b', startsAt: '2026-12-18T23:30:00-03:00', endsAt: '2026-12-19T01:30:00-03:00', busyUntil: '2026-12-19T01:50:00-03:00' }),
    ]));
    expect(g.axisStart).toBe(7 * 60);
    expect(g.axisEnd).toBe(26 * 60);
    expect(g.hours.at(-1)).toBe(26 * 60);
  });

  it('marks cancelled showtimes, the showtimes a conflict names, and a band for each conflict of a room', () => {
    const g = buildGrid(day([st(), st({ id: 'st-2', status: 'CANCELLED', startsAt: '2026-12-18T14:00:00-03:00', endsAt: '2026-12-18T16:00:00-03:00', busyUntil: '2026-12-18T16:20:00-03:00' })]),
      [{ roomId: 'room-1', showtimeId: 'st-1', startsAt: '2026-12-18T19:30:00-03:00', busyUntil: '2026-12-18T22:30:00-03:00' }]);
    const [cancelled, conflicting] = g.rows[0].blocks;
    expect(cancelled.cancelled).toBe(true);
    expect(cancelled.extra).toContain('cancelada');
    expect(conflicting.extra).toContain('em conflito com a programação pedida');
    expect(conflicting.conflict).toBe(true);
    expect(g.rows[0].conflicts).toEqual([{ start: 1170, end: 1350, label: 'Conflito: sala ocupada das 19:30 às 22:30' }]);
    expect(g.rows[1].conflicts).toEqual([]);
  });

  it('tells the days conflicts fall on', () => {
    expect(conflictDays([
      { roomId: 'r', startsAt: '2026-12-20T19:30:00-03:00', busyUntil: '2026-12-20T22:30:00-03:00' },
      { roomId: 'r', startsAt: '2026-12-18T10:00:00-03:00', busyUntil: '2026-12-18T12:30:00-03:00' },
      { roomId: 'r', startsAt: '2026-12-18T23:00:00-03:00', busyUntil: '2026-12-19T01:30:00-03:00' },
    ], '2026-12-18')).toEqual(['2026-12-18', '2026-12-20']);
  });

  it('reads typed times as the contract’s LocalTimes', () => {
    expect(parseTimes('19:30, 14:00 9:05')).toEqual({ times: ['09:05', '14:00', '19:30'] });
    expect(parseTimes('').error).toBe('Informe ao menos um horário (HH:MM).');
    expect(parseTimes('19:32').error).toContain('marcas de 5 minutos');
    expect(parseTimes('24:00').error).toContain('não é um horário válido');
    expect(parseTimes('14:00, 14:00').error).toBe('Há horários repetidos.');
    expect(parseTimes(Array.from({ length: 13 }, (_, i) => `${String(i + 8).padStart(2, '0')}:00`).join(',')).error).toBe('No máximo 12 horários por vez.');
  });

  it('validates a scheduling like ScheduleRequest', () => {
    const ok = { movieId: 'm', roomIds: ['room-1'], from: '2026-12-18', to: '2026-12-20', times: '14:00', format: '2D' as const, language: 'NACIONAL' as const };
    expect(validateSchedule(ok, '2026-12-01')).toEqual({});
    expect(validateSchedule({ ...ok, movieId: '', roomIds: [], format: '', language: '' }, '2026-12-01'))
      .toEqual({ movieId: 'Escolha o filme.', roomIds: 'Escolha ao menos uma sala.', format: 'Escolha o formato.', language: 'Escolha o idioma.' });
    expect(validateSchedule({ ...ok, to: '2026-12-17' }, '2026-12-01').to).toBe('O último dia vem depois do primeiro.');
    expect(validateSchedule({ ...ok, to: '2027-01-19' }, '2026-12-01').to).toBe('No máximo 31 dias depois do primeiro.');
    expect(validateSchedule({ ...ok, to: '2027-01-18' }, '2026-12-01').to).toBeUndefined();
    expect(validateSchedule(ok, '2026-12-19').from).toBe('O primeiro dia não pode ter passado.');
  });
});

describe('SchedulePage', () => {
  async function open() {
    const t = setupAdmin(SchedulePage);
    t.fixture.detectChanges();
    await t.settle();
    t.json(t.expect1('/cinemas'), { items: CINEMAS });
    t.json(t.expect1('/admin/movies'), { items: [
      { id: 'o-agente-secreto', title: 'O Agente Secreto', retired: false },
      { id: 'velho', title: 'Filme Velho', retired: true },
    ] });
    await t.settle();
    return t;
  }

  it('draws the day’s grid: rooms as rows, blocks with the cleaning tail, cancelled ones struck', async () => {
    const t = await open();
    const req = t.expect1(/^\/admin\/cinemas\/cin-paulista\/schedule\?date=\d{4}-\d{2}-\d{2}$/);
    t.json(req, day([st(), st({ id: 'st-2', status: 'CANCELLED', startsAt: '2026-12-18T14:00:00-03:00', endsAt: '2026-12-18T16:00:00-03:00', busyUntil: '2026-12-18T16:20:00-03:00' })]));
    await t.settle();
    const rows = [...t.el.querySelectorAll('[role="group"][data-room]')];
    expect(rows.map((r) => r.getAttribute('aria-label'))).toEqual(['Sala 1', 'Sala 2']);
    const blocks = [...rows[0].querySelectorAll<HTMLButtonElement>('button.block')];
    expect(blocks.map((b) => b.getAttribute('data-showtime'))).toEqual(['st-2', 'st-1']);
    expect(blocks[0].classList).toContain('cancelled');
    expect(blocks[1].classList).not.toContain('cancelled');
    expect(blocks[1].querySelector('.cleaning')).not.toBeNull();
    // The button's name starts with what it shows, then the rest for screen readers.
    expect(norm(blocks[1].textContent)).toBe('O Agente Secreto 19:30–22:08, sala ocupada até 22:30 (limpeza), 2D nacional, 42 de 120 vendidos');
    expect(norm(rows[1].textContent)).toContain('Sem sessões neste dia');
    expect(norm(t.el.textContent)).toContain('limpeza de 20 min');
    // A retired movie cannot be picked for new showtimes.
    const retired = [...t.el.querySelectorAll<HTMLOptionElement>('#sch-movie option')].find((o) => o.value === 'velho');
    expect(retired?.disabled).toBe(true);
  });

  it('says "Ainda não disponível" while getSchedule answers 501, and still offers the form', async () => {
    const t = await open();
    t.expect1(/^\/admin\/cinemas\/cin-paulista\/schedule/).flush(...problem(501, 'not_implemented'));
    await t.settle();
    expect(norm(t.el.querySelector('[data-testid="schedule-problem"]')?.textContent)).toContain('Ainda não disponível');
    expect(t.el.querySelector('form.schedule-form')).not.toBeNull();
  });

  function fill(el: HTMLElement, values: Record<string, string>) {
    for (const [id, v] of Object.entries(values)) {
      const input = el.querySelector<HTMLInputElement | HTMLSelectElement>(`#${id}`)!;
      input.value = v;
      input.dispatchEvent(new Event(input.tagName === 'SELECT' || input.type === 'date' ? 'change' : 'input'));
    }
  }

  it('refuses an incomplete form without calling the API, naming each field', async () => {
    const t = await open();
    t.json(t.expect1(/schedule/), day());
    await t.settle();
    t.el.querySelector<HTMLButtonElement>('form.schedule-form button[type="submit"]')!.click();
    await t.settle();
    t.http.expectNone((r) => r.url.endsWith('/admin/showtimes'));
    expect([...t.el.querySelectorAll('.schedule-form .field-error')].map((e) => norm(e.textContent)))
      .toEqual(['Escolha o filme.', 'Escolha ao menos uma sala.', 'Informe ao menos um horário (HH:MM).', 'Escolha o formato.', 'Escolha o idioma.']);
  });

  it('schedules, and on 409 showtime_overlap lists the conflicts and marks them on the grid', async () => {
    const t = await open();
    t.json(t.expect1(/schedule/), day());
    await t.settle();
    const from = t.el.querySelector<HTMLInputElement>('#sch-from')!.value;
    fill(t.el, { 'sch-movie': 'o-agente-secreto', 'sch-times': '19:00, 14:00', 'sch-format': '2D', 'sch-language': 'NACIONAL' });
    t.el.querySelector<HTMLInputElement>('.rooms input[type="checkbox"]')!.click();
    await t.settle();
    t.el.querySelector<HTMLButtonElement>('form.schedule-form button[type="submit"]')!.click();
    await t.settle();
    const req = t.expect1('/admin/showtimes', 'POST');
    expect(JSON.parse(req.request.body)).toEqual({
      movieId: 'o-agente-secreto', cinemaId: 'cin-paulista', roomIds: ['room-1'], from, to: from, times: ['14:00', '19:00'], format: '2D', language: 'NACIONAL',
    });
    // A day far from any run of this test, so it is never today.
    const far = { startsAt: '2035-06-15T19:30:00-03:00', endsAt: '2035-06-15T22:08:00-03:00', busyUntil: '2035-06-15T22:30:00-03:00' };
    req.flush(...problem(409, 'showtime_overlap', {
      detail: 'a sala room-1 está ocupada', conflicts: [{ roomId: 'room-1', showtimeId: 'st-1', startsAt: far.startsAt, busyUntil: far.busyUntil }],
    }));
    await t.settle();
    // The conflict is on 2035-06-15: the grid goes to that day, keeping the conflicts.
    t.json(t.expect1('/admin/cinemas/cin-paulista/schedule?date=2035-06-15'), { ...day([st(far)]), date: '2035-06-15' });
    await t.settle();
    const notice = norm(t.el.querySelector('[data-testid="schedule-form-problem"]')?.textContent);
    expect(notice).toContain('Horário ocupado');
    expect(notice).toContain('A sala room-1 está ocupada.');
    expect(norm(t.el.querySelector('[data-testid="conflicts"]')?.textContent)).toBe('Sala 1: ocupada de sex., 15/06 · 19:30 até 22:30');
    expect(t.el.querySelector('button.block[data-showtime="st-1"]')?.classList).toContain('conflict');
    expect(t.el.querySelectorAll('[data-room="room-1"] [data-testid="conflict-band"]').length).toBe(1);
  });

  it('cancels a showtime with a reason and tells how many orders were refunded', async () => {
    const t = await open();
    t.json(t.expect1(/schedule/), day());
    await t.settle();
    t.el.querySelector<HTMLButtonElement>('button.block[data-showtime="st-1"]')!.click();
    await t.settle();
    const dialog = t.el.querySelector('dialog')!;
    expect(norm(dialog.querySelector('h2')?.textContent)).toBe('O Agente Secreto');
    const submit = [...dialog.querySelectorAll('button')].find((b) => norm(b.textContent) === 'Cancelar sessão')!;
    submit.click();
    await t.settle();
    expect(norm(dialog.querySelector('.field-error')?.textContent)).toBe('Escreva o motivo, de 3 a 300 caracteres.');
    t.http.expectNone((r) => r.url.includes('/cancel'));
    const reason = dialog.querySelector<HTMLTextAreaElement>('#cancel-reason')!;
    reason.value = 'Falha no projetor.';
    reason.dispatchEvent(new Event('input'));
    submit.click();
    await t.settle();
    const req = t.expect1('/admin/showtimes/st-1/cancel', 'POST');
    expect(JSON.parse(req.request.body)).toEqual({ reason: 'Falha no projetor.' });
    t.json(req, { showtime: st({ status: 'CANCELLED' }), ordersAffected: 17, ordersRefunded: 17, buyersNotified: 17 });
    await t.settle();
    expect(norm(t.el.querySelector('[data-testid="cancel-result"]')?.textContent))
      .toBe('Sessão de O Agente Secreto (sex., 18/12 · 19:30) cancelada: 17 de 17 pedidos reembolsados, 17 compradores avisados.');
    t.json(t.expect1(/schedule/), day([st({ status: 'CANCELLED' })]));
    await t.settle();
    expect(t.el.querySelector('button.block[data-showtime="st-1"]')?.classList).toContain('cancelled');
  });
});
