import type { Schemas } from '../../api/api-client';
import { norm, problem, setupAdmin } from '../admin-testing';
import { MovieEditorPage } from './movie-editor-page';
import { MovieListPage, filterMovies } from './movie-list-page';
import { type MovieDraft, movieInput, validateMovie } from './movie-validation';

function movie(over: Partial<Schemas['AdminMovie']> = {}): Schemas['AdminMovie'] {
  return {
    id: 'o-agente-secreto', title: 'O Agente Secreto', originalTitle: 'O Agente Secreto', synopsis: 'Recife, 1977.', ageRating: '16',
    genres: ['Drama', 'Suspense'], runtimeMinutes: 158, releaseDate: '2025-11-06', posterUrl: 'https://img.example/p.jpg',
    trailerUrl: 'https://img.example/t.mp4', distributor: 'Vitrine Filmes', status: 'NOW_SHOWING', retired: false,
    updatedAt: '2026-03-10T09:00:00-03:00', ...over,
  };
}

const valid: MovieDraft = {
  title: 'O Agente Secreto', originalTitle: 'O Agente Secreto', synopsis: 'Recife, 1977.', ageRating: '16', genres: 'Drama, Suspense',
  runtimeMinutes: '158', releaseDate: '2025-11-06', posterUrl: 'https://img.example/p.jpg', trailerUrl: 'https://img.example/t.mp4', distributor: 'Vitrine',
};

describe('movie validation (MovieInput)', () => {
  it('accepts a complete movie and builds the body', () => {
    expect(validateMovie(valid)).toEqual({});
    expect(movieInput({ ...valid, genres: ' Drama ,, Suspense ' })).toMatchObject({ genres: ['Drama', 'Suspense'], runtimeMinutes: 158, ageRating: '16' });
  });

  it('names every rule broken, in pt-BR', () => {
    expect(validateMovie({ ...valid, title: ' ', ageRating: '15', genres: 'a,b,c,d,e,f,g', runtimeMinutes: '601', releaseDate: '', posterUrl: 'http://x', trailerUrl: 'https://', distributor: 'x'.repeat(121) }))
      .toEqual({
        title: 'Informe o título.', ageRating: 'Escolha a classificação indicativa.', genres: 'No máximo 6 gêneros.',
        runtimeMinutes: 'Duração em minutos, de 1 a 600.', releaseDate: 'Informe a data de estreia.',
        posterUrl: 'O endereço deve começar com https://.', trailerUrl: 'Endereço inválido.', distributor: 'Use no máximo 120 caracteres (tem 121).',
      });
    expect(validateMovie({ ...valid, runtimeMinutes: '0' }).runtimeMinutes).toBeDefined();
    expect(validateMovie({ ...valid, runtimeMinutes: '1.5' }).runtimeMinutes).toBeDefined();
    expect(validateMovie({ ...valid, synopsis: 'x'.repeat(2001) }).synopsis).toBe('Use no máximo 2000 caracteres (tem 2001).');
  });
});

describe('filterMovies', () => {
  const list = [movie({ id: 'a', title: 'Alfa', releaseDate: '2025-01-01' }), movie({ id: 'b', title: 'Beta', retired: true, releaseDate: '2025-06-01' }),
    movie({ id: 'c', title: 'Gama', originalTitle: 'Gamma Ray', releaseDate: '2026-01-01' })];
  it('filters by retired flag and title, newest release first', () => {
    expect(filterMovies(list, 'active', '').map((m) => m.id)).toEqual(['c', 'a']);
    expect(filterMovies(list, 'retired', '').map((m) => m.id)).toEqual(['b']);
    expect(filterMovies(list, 'all', '').map((m) => m.id)).toEqual(['c', 'b', 'a']);
    expect(filterMovies(list, 'all', 'ray').map((m) => m.id)).toEqual(['c']);
  });
});

describe('MovieListPage', () => {
  it('lists the catalogue with retired movies flagged under "Retirados"', async () => {
    const t = setupAdmin(MovieListPage);
    t.fixture.detectChanges();
    await t.settle();
    t.json(t.expect1('/admin/movies'), { items: [movie(), movie({ id: 'velho', title: 'Filme Velho', retired: true })] });
    await t.settle();
    expect([...t.el.querySelectorAll('[data-movie]')].map((r) => r.getAttribute('data-movie'))).toEqual(['o-agente-secreto']);
    const filter = t.el.querySelector<HTMLSelectElement>('#movie-filter')!;
    filter.value = 'retired';
    filter.dispatchEvent(new Event('change'));
    await t.settle();
    const row = t.el.querySelector('[data-movie="velho"]');
    expect(norm(row?.textContent)).toContain('Retirado');
    expect(row?.querySelector('button')).toBeNull();
  });

  it('says "Ainda não disponível" while listAdminMovies answers 501', async () => {
    const t = setupAdmin(MovieListPage);
    t.fixture.detectChanges();
    await t.settle();
    t.expect1('/admin/movies').flush(...problem(501, 'not_implemented'));
    await t.settle();
    expect(norm(t.el.querySelector('[data-testid="movies-problem"]')?.textContent)).toContain('Ainda não disponível');
  });

  it('retires after confirmation, and shows a 409 movie_has_showtimes detail', async () => {
    const t = setupAdmin(MovieListPage);
    t.fixture.detectChanges();
    await t.settle();
    t.json(t.expect1('/admin/movies'), { items: [movie()] });
    await t.settle();
    t.el.querySelector<HTMLButtonElement>('[data-movie="o-agente-secreto"] button')!.click();
    await t.settle();
    t.http.expectNone((r) => r.url.includes('/retire'));
    expect(norm(t.el.querySelector('dialog h2')?.textContent)).toBe('Retirar “O Agente Secreto”?');
    [...t.el.querySelectorAll<HTMLButtonElement>('dialog button')].find((b) => norm(b.textContent) === 'Sim, retirar')!.click();
    await t.settle();
    t.expect1('/admin/movies/o-agente-secreto/retire', 'POST').flush(...problem(409, 'movie_has_showtimes', { detail: 'o filme tem 3 sessões futuras' }));
    await t.settle();
    expect(norm(t.el.querySelector('[data-testid="retire-problem"]')?.textContent)).toContain('O filme tem 3 sessões futuras.');

    t.el.querySelector<HTMLButtonElement>('[data-movie="o-agente-secreto"] button')!.click();
    await t.settle();
    [...t.el.querySelectorAll<HTMLButtonElement>('dialog button')].find((b) => norm(b.textContent) === 'Sim, retirar')!.click();
    await t.settle();
    t.json(t.expect1('/admin/movies/o-agente-secreto/retire', 'POST'), movie({ retired: true }));
    await t.settle();
    expect(t.el.querySelector('[data-movie="o-agente-secreto"]')).toBeNull();
    expect(norm(t.el.querySelector('.success')?.textContent)).toBe('“O Agente Secreto” foi retirado.');
  });
});

describe('MovieEditorPage', () => {
  it('shows each field’s error and sends nothing until the movie is valid, then creates it', async () => {
    const t = setupAdmin(MovieEditorPage);
    t.fixture.detectChanges();
    await t.settle();
    t.el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await t.settle();
    t.http.expectNone((r) => r.url.endsWith('/admin/movies'));
    expect(t.el.querySelectorAll('.field-error').length).toBe(10);
    expect(t.el.querySelector('#movie-title')?.getAttribute('aria-invalid')).toBe('true');
    for (const [k, v] of Object.entries(valid)) {
      const input = t.el.querySelector<HTMLInputElement>(`#movie-${k}`)!;
      input.value = v;
      input.dispatchEvent(new Event(input.tagName === 'SELECT' ? 'change' : 'input'));
    }
    await t.settle();
    expect(t.el.querySelectorAll('.field-error').length).toBe(0);
    t.el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await t.settle();
    const req = t.expect1('/admin/movies', 'POST');
    expect(JSON.parse(req.request.body)).toEqual(movieInput(valid));
    req.flush(...problem(409, 'movie_exists', { detail: 'já existe o filme o-agente-secreto-2025' }));
    await t.settle();
    expect(norm(t.el.querySelector('[data-testid="movie-problem"]')?.textContent)).toContain('Filme já cadastrado');
  });

  it('edits a movie found in the catalogue with updateMovie', async () => {
    const t = setupAdmin(MovieEditorPage);
    t.fixture.componentRef.setInput('movieId', 'o-agente-secreto');
    t.fixture.detectChanges();
    await t.settle();
    t.json(t.expect1('/admin/movies'), { items: [movie()] });
    await t.settle();
    expect(t.el.querySelector<HTMLInputElement>('#movie-genres')?.value).toBe('Drama, Suspense');
    const runtime = t.el.querySelector<HTMLInputElement>('#movie-runtimeMinutes')!;
    runtime.value = '160';
    runtime.dispatchEvent(new Event('input'));
    t.el.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await t.settle();
    const req = t.expect1('/admin/movies/o-agente-secreto', 'PUT');
    expect(JSON.parse(req.request.body).runtimeMinutes).toBe(160);
    t.json(req, movie({ runtimeMinutes: 160 }));
    await t.settle();
    expect(norm(t.el.querySelector('.success')?.textContent)).toBe('Alterações salvas.');
  });
});
