import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { AuthService } from './auth.service';

/** Sends a signed-out buyer to /entrar, coming back here afterwards. */
export const signedInGuard: CanActivateFn = (_route, state) =>
  inject(AuthService).signedIn() || inject(Router).createUrlTree(['/entrar'], { queryParams: { voltar: state.url } });
