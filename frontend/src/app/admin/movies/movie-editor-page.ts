import { ChangeDetectionStrategy, Component, ElementRef, computed, effect, inject, input, resource, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { API_CLIENT, unwrap } from '../../api/api-client';
import type { ProblemMessage } from '../../api/problem-message';
import { LoadingState, Notice } from '../../shared/ui/page-states';
import { AGE_RATINGS } from '../admin-format';
import { adminProblem, fieldErrors } from '../admin-problem';
import { type MovieDraft, type MovieErrors, draftOf, emptyDraft, movieInput, validateMovie } from './movie-validation';

interface FieldDef {
  key: keyof MovieDraft;
  label: string;
  type: 'text' | 'textarea' | 'rating' | 'date' | 'number' | 'url';
  hint?: string;
  wide?: boolean;
}

const FIELDS: FieldDef[] = [
  { key: 'title', label: 'Título no Brasil', type: 'text' },
  { key: 'originalTitle', label: 'Título original', type: 'text' },
  { key: 'synopsis', label: 'Sinopse', type: 'textarea', wide: true, hint: 'Até 2.000 caracteres.' },
  { key: 'ageRating', label: 'Classificação indicativa', type: 'rating' },
  { key: 'genres', label: 'Gêneros', type: 'text', hint: 'Separados por vírgula, até 6.' },
  { key: 'runtimeMinutes', label: 'Duração (minutos)', type: 'number' },
  { key: 'releaseDate', label: 'Estreia no Brasil', type: 'date' },
  { key: 'posterUrl', label: 'Endereço do cartaz', type: 'url', hint: 'https://…' },
  { key: 'trailerUrl', label: 'Endereço do trailer', type: 'url', hint: 'https://…' },
  { key: 'distributor', label: 'Distribuidora', type: 'text' },
];

/** Novo filme / Editar filme (/admin/filmes/novo, /admin/filmes/:movieId): createMovie or updateMovie, validated like the contract. */
@Component({
  selector: 'app-movie-editor-page',
  imports: [RouterLink, LoadingState, Notice],
  template: `
    <p><a routerLink="/admin/filmes">← Filmes</a></p>
    <h1>{{ movieId() ? 'Editar filme' : 'Novo filme' }}</h1>
    @if (movieId() && existing.error(); as err) {
      <app-notice [message]="message(err, 'carregar o filme')" [retryable]="true" (retry)="existing.reload()" />
    } @else if (movieId() && !loaded()) {
      <app-loading-state label="Carregando o filme…" [count]="2" />
    } @else if (movieId() && notFound()) {
      <app-notice [message]="{ kind: 'error', title: 'Filme não encontrado', detail: 'Nenhum filme tem este endereço.' }" />
    } @else {
      <form class="panel" novalidate (submit)="save($event)">
        <div class="form-grid">
          @for (f of fields; track f.key) {
            <div class="field" [class.wide]="f.wide">
              <label [for]="'movie-' + f.key">{{ f.label }}</label>
              @switch (f.type) {
                @case ('textarea') {
                  <textarea [id]="'movie-' + f.key" [name]="f.key" rows="4" [value]="draft()[f.key]" (input)="set(f.key, $event)"
                    [attr.aria-invalid]="!!shownErrors()[f.key]" [attr.aria-describedby]="describedBy(f)"></textarea>
                }
                @case ('rating') {
                  <select [id]="'movie-' + f.key" [name]="f.key" (change)="set(f.key, $event)"
                    [attr.aria-invalid]="!!shownErrors()[f.key]" [attr.aria-describedby]="describedBy(f)">
                    <option value="" [selected]="!draft().ageRating">Escolha…</option>
                    @for (r of ratings; track r) {
                      <option [value]="r" [selected]="draft().ageRating === r">{{ r === 'L' ? 'Livre' : r + ' anos' }}</option>
                    }
                  </select>
                }
                @default {
                  <input [id]="'movie-' + f.key" [name]="f.key" [type]="f.type === 'url' ? 'url' : f.type === 'number' ? 'number' : f.type === 'date' ? 'date' : 'text'"
                    [value]="draft()[f.key]" (input)="set(f.key, $event)"
                    [attr.aria-invalid]="!!shownErrors()[f.key]" [attr.aria-describedby]="describedBy(f)" />
                }
              }
              @if (f.hint) { <p class="hint" [id]="'movie-' + f.key + '-hint'">{{ f.hint }}</p> }
              @if (shownErrors()[f.key]; as e) { <p class="field-error" [id]="'movie-' + f.key + '-error'">{{ e }}</p> }
            </div>
          }
        </div>
        @if (problem(); as p) {
          <app-notice [message]="p" data-testid="movie-problem" />
        }
        @if (saved(); as s) {
          <p class="success" role="status">{{ s }}</p>
        }
        <div class="actions">
          <button type="submit" class="btn btn-primary" [disabled]="saving()">{{ saving() ? 'Salvando…' : movieId() ? 'Salvar alterações' : 'Cadastrar filme' }}</button>
          <a routerLink="/admin/filmes">Cancelar</a>
        </div>
      </form>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MovieEditorPage {
  private readonly api = inject(API_CLIENT);
  private readonly router = inject(Router);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  readonly movieId = input<string>();
  protected readonly message = adminProblem;
  protected readonly fields = FIELDS;
  protected readonly ratings = AGE_RATINGS;
  protected readonly draft = signal<MovieDraft>(emptyDraft());
  protected readonly submitted = signal(false);
  protected readonly serverErrors = signal<MovieErrors>({});
  protected readonly saving = signal(false);
  protected readonly saved = signal<string | null>(null);
  protected readonly problem = signal<ProblemMessage | null>(null);
  protected readonly errors = computed(() => validateMovie(this.draft()));
  protected readonly shownErrors = computed<MovieErrors>(() => ({ ...this.serverErrors(), ...(this.submitted() ? this.errors() : {}) }));

  /** There is no single-movie admin read: the catalogue list is read and the movie found in it. */
  protected readonly existing = resource({
    params: () => this.movieId(),
    loader: async ({ params: id }) => unwrap(await this.api.GET('/admin/movies')).items.find((m) => m.id === id) ?? null,
  });
  protected readonly loaded = computed(() => this.existing.hasValue());
  protected readonly notFound = computed(() => this.existing.hasValue() && this.existing.value() === null);

  constructor() {
    effect(() => {
      const m = this.existing.hasValue() ? this.existing.value() : null;
      if (m) this.draft.set(draftOf(m));
    });
  }

  protected describedBy(f: FieldDef): string | null {
    const ids = [f.hint ? `movie-${f.key}-hint` : '', this.shownErrors()[f.key] ? `movie-${f.key}-error` : ''].filter(Boolean);
    return ids.length ? ids.join(' ') : null;
  }

  protected set(key: keyof MovieDraft, event: Event): void {
    const value = (event.target as HTMLInputElement).value;
    this.draft.update((d) => ({ ...d, [key]: value }));
    this.serverErrors.update((e) => ({ ...e, [key]: undefined }));
  }

  protected async save(event: Event): Promise<void> {
    event.preventDefault();
    this.submitted.set(true);
    this.problem.set(null);
    this.saved.set(null);
    const errors = this.errors();
    const first = FIELDS.find((f) => errors[f.key]);
    if (first) {
      queueMicrotask(() => this.host.nativeElement.querySelector<HTMLElement>(`#movie-${first.key}`)?.focus());
      return;
    }
    this.saving.set(true);
    const body = movieInput(this.draft());
    const id = this.movieId();
    try {
      const movie = id
        ? unwrap(await this.api.PUT('/admin/movies/{movieId}', { params: { path: { movieId: id } }, body }))
        : unwrap(await this.api.POST('/admin/movies', { body }));
      this.saved.set(id ? 'Alterações salvas.' : `“${movie.title}” foi cadastrado.`);
      if (!id) void this.router.navigate(['/admin/filmes', movie.id]);
    } catch (err) {
      this.problem.set(adminProblem(err, id ? 'salvar o filme' : 'cadastrar o filme'));
      const fe = fieldErrors(err);
      this.serverErrors.set(Object.fromEntries(Object.entries(fe).filter(([k]) => FIELDS.some((f) => f.key === k))) as MovieErrors);
    } finally {
      this.saving.set(false);
    }
  }
}
