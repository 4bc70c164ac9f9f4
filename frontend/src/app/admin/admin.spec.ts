import { TestBed } from '@angular/core/testing';
import { AuthService } from '../account/auth.service';
import { ApiError } from '../api/api-client';
import { AdminShell } from './admin-shell';
import { clock, formatPercent, parseReais, reaisInput, spMinutesOf, weekdayOf } from './admin-format';
import { adminProblem, fieldErrors } from './admin-problem';
import { norm, setupAdmin } from './admin-testing';

const err = (status: number, code: string, extra: object = {}) =>
  new ApiError(status, { type: `/problems/${code}`, title: 'Conflito', status, code, ...extra } as never);

describe('adminProblem', () => {
  it('tells a 501 as "Ainda não disponível", an info notice that nothing changed', () => {
    const m = adminProblem(err(501, 'not_implemented', { detail: 'a operação getSchedule ainda não foi implementada' }), 'ver a programação');
    expect(m).toEqual({
      kind: 'info', code: 'not_implemented', title: 'Ainda não disponível',
      detail: 'Esta função do back office ainda não está disponível: não é possível ver a programação por enquanto. Nada foi alterado.',
    });
  });

  it('shows the server’s detail under the back office’s own title', () => {
    const m = adminProblem(err(409, 'stock_exhausted', { detail: 'restam 3 unidades de pipoca-salgada G' }), 'ajustar o estoque');
    expect(m).toMatchObject({ kind: 'error', title: 'Estoque insuficiente', detail: 'Restam 3 unidades de pipoca-salgada G.' });
    expect(adminProblem(err(409, 'movie_has_showtimes', { detail: 'o filme tem 4 sessões futuras' }), 'x').title).toBe('O filme ainda tem sessões');
  });

  it('lists a 400’s field errors, and maps them by field for the inputs', () => {
    const e = err(400, 'validation_failed', { detail: 'times[0]: formato inválido', errors: [{ field: 'times[0]', message: 'formato inválido' }] });
    expect(adminProblem(e, 'x').detail).toBe('Times[0]: formato inválido.');
    const two = err(400, 'validation_failed', { detail: 'dados inválidos', errors: [{ field: 'from', message: 'data inválida' }, { field: 'to', message: 'é obrigatório' }] });
    expect(adminProblem(two, 'x').detail).toBe('Dados inválidos. From: data inválida. To: é obrigatório.');
    expect(fieldErrors(e)).toEqual({ 'times[0]': 'Formato inválido.' });
  });

  it('a network failure is "Sem conexão"; a 403 is "Acesso restrito"', () => {
    expect(adminProblem(new TypeError('network'), 'x').title).toBe('Sem conexão');
    expect(adminProblem(err(403, 'forbidden'), 'x').title).toBe('Acesso restrito');
  });
});

describe('admin formatting', () => {
  it('reads reais as staff type them, and writes them back', () => {
    expect(parseReais('24,90')).toBe(2490);
    expect(parseReais('R$ 1.024,90')).toBe(102490);
    expect(parseReais('24.9')).toBe(2490);
    expect(parseReais('36')).toBe(3600);
    expect(parseReais('1.000')).toBe(100000);
    expect(parseReais('-3')).toBeNull();
    expect(parseReais('abc')).toBeNull();
    expect(parseReais('')).toBeNull();
    expect(reaisInput(2490)).toBe('24,90');
  });

  it('places instants on a São Paulo day, past midnight included, whatever the offset written', () => {
    expect(spMinutesOf('2026-03-19T19:30:00-03:00', '2026-03-19')).toBe(19 * 60 + 30);
    expect(spMinutesOf('2026-03-19T22:30:00Z', '2026-03-19')).toBe(19 * 60 + 30);
    expect(spMinutesOf('2026-03-20T00:40:00-03:00', '2026-03-19')).toBe(24 * 60 + 40);
    expect(clock(24 * 60 + 40)).toBe('00:40');
    expect(weekdayOf('2026-03-19')).toBe('THU');
    expect(formatPercent(33.58)).toBe('33,6%');
  });
});

describe('AdminShell', () => {
  it('shows a buyer "Acesso restrito" and no admin navigation', async () => {
    const { el, settle } = setupAdmin(AdminShell, ['buyer']);
    await settle();
    expect(el.querySelector('[data-testid="admin-restricted"] h1')?.textContent).toBe('Acesso restrito à equipe');
    expect(el.querySelector('nav')).toBeNull();
    expect(el.querySelector('router-outlet')).toBeNull();
  });

  it('asks to sign in again when the session ended while here', async () => {
    const { el, settle } = setupAdmin(AdminShell);
    TestBed.inject(AuthService).logout();
    await settle();
    expect(el.querySelector('[data-testid="admin-signed-out"] h1')?.textContent).toBe('Entre para continuar');
    expect(el.querySelector('nav')).toBeNull();
  });

  it('gives staff the admin navigation and the outlet', async () => {
    const { el, settle } = setupAdmin(AdminShell);
    await settle();
    expect(el.querySelector('[data-testid="admin-restricted"]')).toBeNull();
    expect([...el.querySelectorAll('nav[aria-label="Administração"] a')].map((a) => norm(a.textContent)))
      .toEqual(['Filmes', 'Programação', 'Bomboniere e estoque', 'Preços', 'Relatórios']);
    expect(el.querySelector('router-outlet')).not.toBeNull();
  });
});
