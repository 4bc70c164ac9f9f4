import type { HttpInterceptorFn } from '@angular/common/http';
import { DOCUMENT, inject } from '@angular/core';
import { AuthService } from './auth.service';

/** Adds the bearer token to calls to this origin's /api, and to nothing else. */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  const token = inject(AuthService).token();
  if (!token) return next(req);
  const url = new URL(req.url, inject(DOCUMENT).baseURI);
  const origin = new URL(inject(DOCUMENT).baseURI).origin;
  if (url.origin !== origin || !url.pathname.startsWith('/api/')) return next(req);
  return next(req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }));
};
