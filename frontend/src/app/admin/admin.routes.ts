import type { Routes } from '@angular/router';
import { AdminShell } from './admin-shell';

/** The back office (/admin), lazy-loaded; staff only (AdminShell shows "Acesso restrito" to anyone else). */
export const ADMIN_ROUTES: Routes = [
  {
    path: '',
    component: AdminShell,
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'filmes' },
      { path: 'filmes', title: 'Filmes — Administração', loadComponent: () => import('./movies/movie-list-page').then((m) => m.MovieListPage) },
      { path: 'filmes/novo', title: 'Novo filme — Administração', loadComponent: () => import('./movies/movie-editor-page').then((m) => m.MovieEditorPage) },
      { path: 'filmes/:movieId', title: 'Editar filme — Administração', loadComponent: () => import('./movies/movie-editor-page').then((m) => m.MovieEditorPage) },
      { path: 'programacao', title: 'Programação — Administração', loadComponent: () => import('./schedule/schedule-page').then((m) => m.SchedulePage) },
      { path: 'bomboniere', title: 'Bomboniere e estoque — Administração', loadComponent: () => import('./menu/menu-page').then((m) => m.MenuPage) },
      { path: 'precos', title: 'Preços — Administração', loadComponent: () => import('./prices/prices-page').then((m) => m.PricesPage) },
      { path: 'relatorios', title: 'Relatórios — Administração', loadComponent: () => import('./reports/reports-page').then((m) => m.ReportsPage) },
    ],
  },
];
