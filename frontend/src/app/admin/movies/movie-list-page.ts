import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, resource, signal, viewChild } from '@angular/core';
import { RouterLink } from '@angular/router';
import { API_CLIENT, type Schemas, unwrap } from '../../api/api-client';
import type { ProblemMessage } from '../../api/problem-message';
import { formatLongDate, formatRuntime } from '../../shared/locale/format';
import { EmptyState, LoadingState, Notice } from '../../shared/ui/page-states';
import { adminProblem } from '../admin-problem';

type Movie = Schemas['AdminMovie'];
export type MovieFilter = 'active' | 'retired' | 'all';

/** The movies a filter and a search show; newest release first. */
export function filterMovies(movies: Movie[], filter: MovieFilter, query: string): Movie[] {
  const q = query.trim().toLocaleLowerCase('pt-BR');
  return movies
    .filter((m) => (filter === 'all' ? true : filter === 'retired' ? m.retired : !m.retired))
    .filter((m) => !q || m.title.toLocaleLowerCase('pt-BR').includes(q) || m.originalTitle.toLocaleLowerCase('pt-BR').includes(q))
    .sort((a, b) => b.releaseDate.localeCompare(a.releaseDate));
}

/** Filmes (/admin/filmes): the whole catalogue (listAdminMovies), retired ones flagged; retire with confirmation. */
@Component({
  selector: 'app-movie-list-page',
  imports: [RouterLink, LoadingState, EmptyState, Notice],
  template: `
    <h1>Filmes</h1>
    <div class="toolbar">
      <div class="field">
        <label for="movie-search">Buscar por título</label>
        <input id="movie-search" type="search" [value]="query()" (input)="query.set($any($event.target).value)" />
      </div>
      <div class="field">
        <label for="movie-filter">Mostrar</label>
        <select id="movie-filter" (change)="filter.set($any($event.target).value)">
          <option value="active" [selected]="filter() === 'active'">Em catálogo</option>
          <option value="retired" [selected]="filter() === 'retired'">Retirados</option>
          <option value="all" [selected]="filter() === 'all'">Todos</option>
        </select>
      </div>
      <a class="btn btn-primary" routerLink="/admin/filmes/novo">Novo filme</a>
    </div>
    @if (problem(); as p) {
      <app-notice [message]="p" data-testid="retire-problem" />
    }
    @if (done(); as d) {
      <p class="success" role="status">{{ d }}</p>
    }
    @if (movies.error(); as err) {
      <app-notice [message]="message(err, 'listar os filmes')" [retryable]="true" (retry)="movies.reload()" data-testid="movies-problem" />
    } @else if (!movies.hasValue()) {
      <app-loading-state label="Carregando filmes…" [count]="3" />
    } @else if (shown().length === 0) {
      <app-empty-state [message]="movies.value().length === 0 ? 'Nenhum filme cadastrado.' : 'Nenhum filme com este filtro.'" />
    } @else {
      <div class="table-wrap">
        <table class="data" data-testid="movies">
          <caption>{{ shown().length }} {{ shown().length === 1 ? 'filme' : 'filmes' }}</caption>
          <thead>
            <tr><th scope="col">Título</th><th scope="col">Estreia</th><th scope="col">Duração</th><th scope="col">Classif.</th>
              <th scope="col">Situação</th><th scope="col"><span class="visually-hidden">Ações</span></th></tr>
          </thead>
          <tbody>
            @for (m of shown(); track m.id) {
              <tr [attr.data-movie]="m.id">
                <th scope="row"><a [routerLink]="['/admin/filmes', m.id]">{{ m.title }}</a>
                  @if (m.originalTitle !== m.title) { <br /><span class="hint">{{ m.originalTitle }}</span> }</th>
                <td>{{ longDate(m.releaseDate) }}</td>
                <td>{{ runtime(m.runtimeMinutes) }}</td>
                <td>{{ m.ageRating }}</td>
                <td>
                  @if (m.retired) {
                    <span class="tag off">Retirado</span>
                  } @else {
                    <span class="tag" [class.ok]="m.status === 'NOW_SHOWING'">{{ m.status === 'NOW_SHOWING' ? 'Em cartaz' : 'Em breve' }}</span>
                  }
                </td>
                <td>
                  @if (!m.retired) {
                    <button type="button" class="btn btn-secondary btn-small" (click)="ask(m)">Retirar<span class="visually-hidden"> {{ m.title }}</span></button>
                  }
                </td>
              </tr>
            }
          </tbody>
        </table>
      </div>
    }
    <dialog #confirm class="admin-dialog" aria-labelledby="retire-title" (close)="asking.set(null)">
      @if (asking(); as m) {
        <h2 id="retire-title">Retirar “{{ m.title }}”?</h2>
        <p>O filme deixa de aparecer para os compradores e não recebe novas sessões. Pedidos, ingressos e relatórios continuam.
          Um filme com sessões futuras não pode ser retirado: cancele-as antes.</p>
        <div class="actions">
          <button type="button" class="btn btn-secondary" (click)="closeDialog()">Manter</button>
          <button type="button" class="btn btn-danger" [disabled]="retiring()" (click)="retire(m)">{{ retiring() ? 'Retirando…' : 'Sim, retirar' }}</button>
        </div>
      }
    </dialog>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MovieListPage {
  private readonly api = inject(API_CLIENT);
  private readonly dialog = viewChild<ElementRef<HTMLDialogElement>>('confirm');
  protected readonly message = adminProblem;
  protected readonly longDate = formatLongDate;
  protected readonly runtime = formatRuntime;
  protected readonly query = signal('');
  protected readonly filter = signal<MovieFilter>('active');
  protected readonly asking = signal<Movie | null>(null);
  protected readonly retiring = signal(false);
  protected readonly problem = signal<ProblemMessage | null>(null);
  protected readonly done = signal<string | null>(null);
  protected readonly movies = resource({ loader: async () => unwrap(await this.api.GET('/admin/movies')).items });
  protected readonly shown = computed(() => filterMovies(this.movies.hasValue() ? this.movies.value() : [], this.filter(), this.query()));

  protected ask(m: Movie): void {
    this.problem.set(null);
    this.done.set(null);
    this.asking.set(m);
    const d = this.dialog()?.nativeElement;
    if (d && typeof d.showModal === 'function' && !d.open) d.showModal();
  }

  protected closeDialog(): void {
    const d = this.dialog()?.nativeElement;
    if (d?.open && typeof d.close === 'function') d.close();
    this.asking.set(null);
  }

  protected async retire(m: Movie): Promise<void> {
    this.retiring.set(true);
    try {
      const updated = unwrap(await this.api.POST('/admin/movies/{movieId}/retire', { params: { path: { movieId: m.id } } }));
      this.movies.update((list) => list?.map((x) => (x.id === updated.id ? updated : x)));
      this.done.set(`“${updated.title}” foi retirado.`);
    } catch (err) {
      this.problem.set(adminProblem(err, 'retirar o filme'));
    } finally {
      this.retiring.set(false);
      this.closeDialog();
    }
  }
}
