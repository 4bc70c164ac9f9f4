import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { Schemas } from '../../api/api-client';
import { OrderSummary } from '../../checkout/order-summary';
import { ProductCard } from '../../concessions/product-card';
import { AgeRatingBadge } from '../../movies/age-rating-badge';
import { MovieCard } from '../../movies/movie-card';
import { MovieGridSkeleton } from '../../movies/movie-grid';
import { Notice } from './page-states';
import { Stepper } from './stepper';

const nbsp = '\u00a0';

describe('AgeRatingBadge', () => {
  it.each([
    ['L', 'Classificação livre para todos os públicos'],
    ['16', 'Não recomendado para menores de 16 anos'],
  ] as const)('shows %s with a spoken meaning and its ClassInd colour hook', (rating, spoken) => {
    const f = TestBed.createComponent(AgeRatingBadge);
    f.componentRef.setInput('rating', rating);
    f.detectChanges();
    const badge = (f.nativeElement as HTMLElement).querySelector('.badge')!;
    expect(badge.textContent).toBe(rating);
    expect(badge.getAttribute('aria-label')).toBe(spoken);
    expect(badge.getAttribute('data-rating')).toBe(rating);
  });
});

describe('MovieCard', () => {
  const movie: Schemas['MovieSummary'] = { id: 'mov-orbita-zero', title: 'Órbita Zero', originalTitle: 'Orbit Zero', ageRating: '12',
    genres: ['Ficção', 'Aventura', 'Drama'], runtimeMinutes: 131, releaseDate: '2027-01-07', posterUrl: 'https://img.example/p.jpg', status: 'NOW_SHOWING' };

  function render(m: Schemas['MovieSummary']) {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    const f = TestBed.createComponent(MovieCard);
    f.componentRef.setInput('movie', m);
    f.detectChanges();
    return f.nativeElement as HTMLElement;
  }

  it('links to the movie and shows two genres and the runtime', () => {
    const el = render(movie);
    expect(el.querySelector('a')?.getAttribute('href')).toBe('/filmes/mov-orbita-zero');
    expect(el.querySelector('.meta')?.textContent).toBe('Ficção, Aventura · 2h11');
    expect(el.querySelector('img')?.getAttribute('alt')).toBe('');
  });

  it('shows the release day of a movie coming soon', () => {
    expect(render({ ...movie, status: 'COMING_SOON' }).querySelector('.meta')?.textContent).toBe('Estreia em 7 de janeiro de 2027');
  });
});

describe('MovieGridSkeleton', () => {
  it('shows card-shaped placeholders hidden from screen readers and announces the label once', () => {
    const f = TestBed.createComponent(MovieGridSkeleton);
    f.componentRef.setInput('label', 'Carregando filmes em cartaz…');
    f.componentRef.setInput('count', 10);
    f.detectChanges();
    const el = f.nativeElement as HTMLElement;
    const grid = el.querySelector('.grid')!;
    expect(grid.getAttribute('aria-hidden')).toBe('true');
    expect(grid.querySelectorAll('.card')).toHaveLength(10);
    expect(grid.querySelectorAll('.card .poster')).toHaveLength(10);
    expect([...el.querySelectorAll('[role="status"]')].map((s) => s.textContent)).toEqual(['Carregando filmes em cartaz…']);
    expect(el.querySelector('[aria-busy="true"]')).not.toBeNull();
  });
});

describe('Stepper', () => {
  it('marks done, current and later steps', () => {
    const f = TestBed.createComponent(Stepper);
    f.componentRef.setInput('current', 1);
    f.detectChanges();
    const items = [...(f.nativeElement as HTMLElement).querySelectorAll('li')];
    expect(items.map((li) => li.className)).toEqual(['done', 'current', 'todo', 'todo']);
    expect(items[1].getAttribute('aria-current')).toBe('step');
    expect(items[0].textContent).toContain('(concluída)');
  });
});

describe('ProductCard', () => {
  const combo: Schemas['Product'] = {
    id: 'prd-combo-casal', name: 'Combo Casal', description: 'Pipoca G e 2 refrigerantes', category: 'COMBO', flavours: [], serves: 2,
    sizes: [{ code: 'UN', label: 'Único', price: { amount: 4990, currency: 'BRL' } }],
    combo: { items: [{ productId: 'prd-pipoca-salgada', size: 'G', quantity: 1 }], savings: { amount: 500, currency: 'BRL' } },
  };
  const popcorn: Schemas['Product'] = {
    id: 'prd-pipoca-salgada', name: 'Pipoca Salgada', description: 'Na hora', category: 'PIPOCA', flavours: [], serves: 1,
    sizes: [
      { code: 'P', label: 'Pequena', price: { amount: 1900, currency: 'BRL' } },
      { code: 'M', label: 'Média', price: { amount: 2100, currency: 'BRL' } },
      { code: 'G', label: 'Grande', price: { amount: 2300, currency: 'BRL' } },
    ],
  };

  it('shows a combo price in BRL and its savings', () => {
    const f = TestBed.createComponent(ProductCard);
    f.componentRef.setInput('product', combo);
    f.detectChanges();
    const el = f.nativeElement as HTMLElement;
    expect(el.querySelector('.price')?.textContent).toBe(`R$${nbsp}49,90`);
    expect(el.querySelector('.savings')?.textContent).toBe(`Economize R$${nbsp}5,00`);
    expect(el.querySelector('.serves')?.textContent).toBe('Serve 2 pessoas');
    expect(el.querySelector('fieldset')).toBeNull();
  });

  it('starts on the middle size, reprices on a size change and emits the choice', () => {
    const f = TestBed.createComponent(ProductCard);
    f.componentRef.setInput('product', popcorn);
    const added: unknown[] = [];
    f.componentInstance.add.subscribe((c) => added.push(c));
    f.detectChanges();
    const el = f.nativeElement as HTMLElement;
    expect(el.querySelector('.price')?.textContent).toBe(`R$${nbsp}21,00`);
    (el.querySelector('input[value="G"]') as HTMLInputElement).click();
    f.detectChanges();
    expect(el.querySelector('.price')?.textContent).toBe(`R$${nbsp}23,00`);
    (el.querySelector('button') as HTMLButtonElement).click();
    expect(added).toEqual([{ productId: 'prd-pipoca-salgada', size: 'G', flavours: [], quantity: 1 }]);
  });

  it('asks one flavour per slot and emits the chosen ones', () => {
    const f = TestBed.createComponent(ProductCard);
    f.componentRef.setInput('product', combo);
    f.componentRef.setInput('slots', [
      { label: 'Refrigerante 1', options: ['Cola', 'Guaraná'] },
      { label: 'Refrigerante 2', options: ['Cola', 'Guaraná'] },
    ]);
    const added: unknown[] = [];
    f.componentInstance.add.subscribe((c) => added.push(c));
    f.detectChanges();
    const el = f.nativeElement as HTMLElement;
    const selects = el.querySelectorAll('select');
    expect([...el.querySelectorAll('.flavour span')].map((s) => s.textContent)).toEqual(['Refrigerante 1', 'Refrigerante 2']);
    selects[1].value = 'Guaraná';
    selects[1].dispatchEvent(new Event('change'));
    f.detectChanges();
    (el.querySelector('button') as HTMLButtonElement).click();
    expect(added).toEqual([{ productId: 'prd-combo-casal', size: 'UN', flavours: ['Cola', 'Guaraná'], quantity: 1 }]);
  });
});

describe('OrderSummary', () => {
  it('lists lines in BRL and totals them, or shows the server total', () => {
    const f = TestBed.createComponent(OrderSummary);
    f.componentRef.setInput('lines', [
      { label: 'F12 · Inteira', amount: { amount: 3600, currency: 'BRL' } },
      { label: 'F13 · Meia-entrada estudante', detail: 'Apresente a carteirinha', amount: { amount: 1800, currency: 'BRL' } },
    ]);
    f.detectChanges();
    const el = f.nativeElement as HTMLElement;
    expect(el.querySelector('.total dd')?.textContent).toBe(`R$${nbsp}54,00`);
    expect(el.textContent).toContain('Apresente a carteirinha');
    f.componentRef.setInput('total', { amount: 5000, currency: 'BRL' });
    f.detectChanges();
    expect(el.querySelector('.total dd')?.textContent).toBe(`R$${nbsp}50,00`);
  });
});

describe('Notice', () => {
  it('is an alert that offers a retry when asked', () => {
    const f = TestBed.createComponent(Notice);
    f.componentRef.setInput('message', { kind: 'error', title: 'Algo deu errado', detail: 'Tente de novo.' });
    f.componentRef.setInput('retryable', true);
    let retried = 0;
    f.componentInstance.retry.subscribe(() => retried++);
    f.detectChanges();
    const el = f.nativeElement as HTMLElement;
    expect(el.querySelector('[role="alert"]')?.classList).toContain('error');
    (el.querySelector('button') as HTMLButtonElement).click();
    expect(retried).toBe(1);
  });
});
