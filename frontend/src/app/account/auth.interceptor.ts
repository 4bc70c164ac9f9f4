import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { DOCUMENT, inject } from '@angular/core';
import { Router } from '@angular/router';
import { tap } from 'rxjs';
import { AuthService } from './auth.service';

/**
 * Adds the bearer token to calls to this origin's /api, and to nothing else.
 * When the API refuses the token (401: expired, or revoked at the issuer) the
 * session is dropped and the buyer goes to /entrar, coming back to the page
 * they were on; what the purchase keeps in this tab (hold, bomboniere, order)
 * stays, so they carry on where they were. A refused /api/me on start only
 * ends the session.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  const token = auth.token();
  const url = new URL(req.url, inject(DOCUMENT).baseURI);
  const origin = new URL(inject(DOCUMENT).baseURI).origin;
  if (url.origin !== origin || !url.pathname.startsWith('/api/')) return next(req);
  const sent = token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;
  return next(sent).pipe(
    tap({
      error: (err: unknown) => {
        if (!(err instanceof HttpErrorResponse) || err.status !== 401) return;
        if (token && auth.token() === token) auth.expire();
        if (url.pathname === '/api/me') return;
        const here = router.url;
        if (here.startsWith('/entrar')) return;
        const queryParams = auth.sessionEnded() ? { voltar: here, motivo: 'sessao' } : { voltar: here };
        void router.navigate(['/entrar'], { queryParams });
      },
    }),
  );
};
