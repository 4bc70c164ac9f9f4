import type { Routes } from '@angular/router';
import { signedInGuard } from './account/auth.guard';
import { HomePage } from './movies/home-page';

/**
 * The home page is the one route in the initial bundle: it is where most
 * visits start, and it then needs no chunk of its own before its first render.
 * Every other route is loaded when first visited.
 */
export const routes: Routes = [
  { path: '', title: 'Filmes em cartaz — Bilhetagem', component: HomePage },
  { path: 'filmes/:movieId', title: 'Filme — Bilhetagem', loadComponent: () => import('./movies/movie-page').then((m) => m.MoviePage) },
  {
    path: 'sessoes/:showtimeId/assentos',
    title: 'Escolha seus assentos — Bilhetagem',
    loadComponent: () => import('./seat-selection/seat-selection-page').then((m) => m.SeatSelectionPage),
  },
  {
    path: 'sessoes/:showtimeId/fila',
    title: 'Fila virtual — Bilhetagem',
    canActivate: [signedInGuard],
    loadComponent: () => import('./seat-selection/waiting-room-page').then((m) => m.WaitingRoomPage),
  },
  {
    path: 'compra/bomboniere',
    title: 'Bomboniere — Bilhetagem',
    canActivate: [signedInGuard],
    loadComponent: () => import('./concessions/concessions-page').then((m) => m.ConcessionsPage),
  },
  {
    path: 'compra/pagamento',
    title: 'Pagamento — Bilhetagem',
    canActivate: [signedInGuard],
    loadComponent: () => import('./checkout/checkout-page').then((m) => m.CheckoutPage),
  },
  {
    path: 'compra/confirmacao/:orderId',
    title: 'Compra confirmada — Bilhetagem',
    canActivate: [signedInGuard],
    loadComponent: () => import('./checkout/confirmation-page').then((m) => m.ConfirmationPage),
  },
  { path: 'entrar', title: 'Entrar — Bilhetagem', loadComponent: () => import('./account/login-page').then((m) => m.LoginPage) },
  {
    path: 'entrar/retorno',
    title: 'Entrando — Bilhetagem',
    loadComponent: () => import('./account/login-callback-page').then((m) => m.LoginCallbackPage),
  },
  {
    path: 'conta/pedidos',
    title: 'Meus pedidos — Bilhetagem',
    canActivate: [signedInGuard],
    loadComponent: () => import('./tickets/my-orders-page').then((m) => m.MyOrdersPage),
  },
  {
    path: 'conta/pedidos/:orderId/recibo',
    title: 'Recibo — Bilhetagem',
    canActivate: [signedInGuard],
    loadComponent: () => import('./checkout/receipt-page').then((m) => m.ReceiptPage),
  },
  {
    path: 'conta/avisos',
    title: 'Avisos — Bilhetagem',
    canActivate: [signedInGuard],
    loadComponent: () => import('./account/notices').then((m) => m.NoticesPage),
  },
  {
    path: 'conta/dados',
    title: 'Meus dados — Bilhetagem',
    canActivate: [signedInGuard],
    loadComponent: () => import('./account/my-data-page').then((m) => m.MyDataPage),
  },
  { path: 'meus-pedidos', redirectTo: 'conta/pedidos' },
  { path: 'privacidade', title: 'Política de Privacidade — Bilhetagem', loadComponent: () => import('./legal/privacy-page').then((m) => m.PrivacyPage) },
  { path: 'termos', title: 'Termos de Uso — Bilhetagem', loadComponent: () => import('./legal/terms-page').then((m) => m.TermsPage) },
  {
    path: 'equipe/check-in',
    title: 'Check-in — Bilhetagem',
    canActivate: [signedInGuard],
    loadComponent: () => import('./tickets/check-in-page').then((m) => m.CheckInPage),
  },
  {
    path: 'equipe/bomboniere',
    title: 'Bomboniere — Bilhetagem',
    canActivate: [signedInGuard],
    loadComponent: () => import('./tickets/counter-page').then((m) => m.CounterPage),
  },
  {
    path: 'admin',
    title: 'Administração — Bilhetagem',
    canActivate: [signedInGuard],
    loadChildren: () => import('./admin/admin.routes').then((m) => m.ADMIN_ROUTES),
  },
  { path: '**', title: 'Página não encontrada — Bilhetagem', loadComponent: () => import('./shared/ui/not-found-page').then((m) => m.NotFoundPage) },
];
