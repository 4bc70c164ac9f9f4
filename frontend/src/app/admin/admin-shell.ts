import { ChangeDetectionStrategy, Component, ViewEncapsulation, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthService } from '../account/auth.service';
import { LoadingState } from '../shared/ui/page-states';

/** The admin area's side navigation. */
@Component({
  selector: 'app-admin-nav',
  imports: [RouterLink, RouterLinkActive],
  template: `
    <nav class="admin-nav" aria-label="Administração">
      <p class="admin-nav-title">Administração</p>
      <ul role="list">
        @for (l of links; track l.path) {
          <li><a [routerLink]="l.path" routerLinkActive="active" ariaCurrentWhenActive="page">{{ l.label }}</a></li>
        }
      </ul>
    </nav>
  `,
  styles: `
    .admin-nav { position: sticky; top: var(--space-4); padding: var(--space-3); background: var(--color-surface);
      border-radius: var(--radius-md); box-shadow: var(--shadow-1); }
    .admin-nav-title { margin: 0 0 var(--space-2); font-weight: var(--weight-bold); }
    .admin-nav ul { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--space-1); }
    .admin-nav a { display: flex; align-items: center; min-height: 2.5rem; padding: 0 var(--space-2); border-radius: var(--radius-sm);
      color: var(--color-text); text-decoration: none; }
    .admin-nav a:hover { text-decoration: underline; }
    .admin-nav a.active { background: var(--color-primary); color: var(--color-on-primary); font-weight: var(--weight-semibold); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdminNav {
  protected readonly links = [
    { path: '/admin/filmes', label: 'Filmes' },
    { path: '/admin/programacao', label: 'Programação' },
    { path: '/admin/bomboniere', label: 'Bomboniere e estoque' },
    { path: '/admin/precos', label: 'Preços' },
    { path: '/admin/relatorios', label: 'Relatórios' },
  ];
}

/**
 * Administração (/admin): the back office's frame, for staff on a desktop.
 * A buyer sees "Acesso restrito"; the screens below are lazy-loaded children.
 * The styles here are the admin area's shared ones (tables, forms, chips).
 */
@Component({
  selector: 'app-admin-shell',
  imports: [RouterOutlet, RouterLink, LoadingState, AdminNav],
  template: `
    @if (!auth.signedIn()) {
      <section class="admin-restricted" data-testid="admin-signed-out" aria-labelledby="signed-out-title">
        <h1 id="signed-out-title">Entre para continuar</h1>
        <p>A administração do Bilhetagem é só para a equipe. Entre com sua conta da equipe.</p>
        <a routerLink="/entrar" [queryParams]="{ voltar: '/admin' }">Entrar</a>
      </section>
    } @else if (!auth.me()) {
      <app-loading-state label="Verificando seu acesso…" [count]="1" />
    } @else if (!auth.isStaff()) {
      <section class="admin-restricted" data-testid="admin-restricted" aria-labelledby="restricted-title">
        <h1 id="restricted-title">Acesso restrito à equipe</h1>
        <p>A administração do Bilhetagem é só para a equipe dos cinemas. Sua conta ({{ auth.me()?.email }}) não tem esse acesso.</p>
        <a routerLink="/">Voltar aos filmes em cartaz</a>
      </section>
    } @else {
      <div class="admin">
        <app-admin-nav />
        <div class="admin-body"><router-outlet /></div>
      </div>
    }
  `,
  styles: `
    app-admin-shell .admin { display: grid; grid-template-columns: 12rem 1fr; gap: var(--space-5); align-items: start; }
    app-admin-shell .admin-body { min-width: 0; }
    app-admin-shell .admin-body h1 { margin: 0 0 var(--space-4); }
    app-admin-shell .admin-body app-notice { display: block; margin: var(--space-3) 0; }
    app-admin-shell .admin-restricted { max-width: 36rem; padding: var(--space-5); background: var(--color-surface); border-radius: var(--radius-md);
      box-shadow: var(--shadow-1); }
    app-admin-shell .admin-restricted h1 { margin-top: 0; }
    app-admin-shell .toolbar { display: flex; flex-wrap: wrap; align-items: flex-end; gap: var(--space-3); margin-bottom: var(--space-4); }
    app-admin-shell .field { display: flex; flex-direction: column; gap: var(--space-1); }
    app-admin-shell .field input, app-admin-shell .field textarea, app-admin-shell .field select { min-height: 2.5rem; padding: var(--space-1) var(--space-2);
      border: 1px solid var(--color-border); border-radius: var(--radius-sm); background: var(--color-surface);
      color: var(--color-text); font: inherit; }
    app-admin-shell .field textarea { min-height: 5rem; }
    app-admin-shell .field-error { color: var(--color-danger); font-size: var(--text-sm); margin: 0; }
    app-admin-shell .hint { color: var(--color-text-muted); font-size: var(--text-sm); margin: 0; }
    app-admin-shell [aria-invalid='true'] { border-color: var(--color-danger) !important; border-width: 2px !important; }
    app-admin-shell .form-grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: var(--space-3) var(--space-4); }
    app-admin-shell .form-grid .wide { grid-column: 1 / -1; }
    app-admin-shell .panel { padding: var(--space-4); background: var(--color-surface); border-radius: var(--radius-md); box-shadow: var(--shadow-1);
      margin-bottom: var(--space-4); }
    app-admin-shell .panel h2 { margin-top: 0; }
    app-admin-shell .actions { display: flex; flex-wrap: wrap; gap: var(--space-3); align-items: center; margin-top: var(--space-3); }
    app-admin-shell .data { width: 100%; border-collapse: collapse; background: var(--color-surface); font-size: var(--text-sm); }
    app-admin-shell .data caption { text-align: left; font-weight: var(--weight-semibold); padding: var(--space-2) 0; }
    app-admin-shell .data th, app-admin-shell .data td { padding: var(--space-2); border-bottom: 1px solid var(--color-border-subtle); text-align: left; vertical-align: top; }
    app-admin-shell .data thead th { background: var(--color-surface-sunken); }
    app-admin-shell .data .num { text-align: right; font-variant-numeric: tabular-nums; }
    app-admin-shell .data tfoot th, app-admin-shell .data tfoot td { font-weight: var(--weight-bold); border-top: 2px solid var(--color-border); }
    app-admin-shell .table-wrap { overflow-x: auto; }
    app-admin-shell .tag { display: inline-block; padding: 0 var(--space-2); border-radius: var(--radius-pill); font-size: var(--text-xs);
      font-weight: var(--weight-semibold); background: var(--color-surface-sunken); color: var(--color-text); }
    app-admin-shell .tag.ok { background: var(--color-success-bg); color: var(--color-success); }
    app-admin-shell .tag.off { background: var(--color-danger-bg); color: var(--color-danger); }
    app-admin-shell .tag.warn { background: var(--color-warning-bg); color: var(--color-on-warning); }
    app-admin-shell .btn-small { min-height: 2.25rem; padding: 0 var(--space-3); font-size: var(--text-sm); }
    app-admin-shell .btn-danger { background: var(--color-danger); color: var(--color-text-inverse); }
    app-admin-shell .success { padding: var(--space-3); border-radius: var(--radius-md); background: var(--color-success-bg); color: var(--color-success);
      margin: var(--space-3) 0; }
    app-admin-shell dialog.admin-dialog { border: 0; border-radius: var(--radius-md); padding: var(--space-5); width: min(32rem, 90vw);
      box-shadow: var(--shadow-2); background: var(--color-surface); color: var(--color-text); }
    app-admin-shell dialog.admin-dialog::backdrop { background: rgb(0 0 0 / 0.5); }
    app-admin-shell dialog.admin-dialog h2 { margin-top: 0; }
  `,
  encapsulation: ViewEncapsulation.None,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AdminShell {
  /** Staff only: the server checks the role on every back-office call; this only picks the screen. */
  protected readonly auth = inject(AuthService);
}
