import { inject } from '@angular/core';
import { type CanActivateFn, Router } from '@angular/router';
import { AuthService } from './auth.service';

/** Sends a signed-out buyer to /entrar, coming back here afterwards (saying why when the session ended by itself). */
export const signedInGuard: CanActivateFn = (_route, state) => {
  const auth = inject(AuthService);
  if (auth.signedIn()) return true;
  const queryParams = auth.sessionEnded() ? { voltar: state.url, motivo: 'sessao' } : { voltar: state.url };
  return inject(Router).createUrlTree(['/entrar'], { queryParams });
};
