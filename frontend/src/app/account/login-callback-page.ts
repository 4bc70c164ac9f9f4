import { ChangeDetectionStrategy, Component, OnInit, inject, input, signal } from '@angular/core';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import type { ProblemMessage } from '../api/problem-message';
import { Notice } from '../shared/ui/page-states';
import { AuthService } from './auth.service';

/**
 * /entrar/retorno: takes the ID token from the fragment (ID-token flow) or
 * redeems the code from the query (code flow), then goes back where the buyer
 * was, replacing this URL so the token does not stay in the history.
 */
@Component({
  selector: 'app-login-callback-page',
  imports: [Notice, RouterLink],
  template: `
    @if (failure(); as f) {
      <app-notice [message]="f"><p><a routerLink="/entrar">Tentar de novo</a></p></app-notice>
    } @else {
      <p role="status">Entrando…</p>
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginCallbackPage implements OnInit {
  readonly code = input<string>();
  readonly state = input<string>();
  readonly error = input<string>();
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  protected readonly failure = signal<ProblemMessage | null>(null);

  async ngOnInit(): Promise<void> {
    const fragment = this.route.snapshot.fragment;
    try {
      if (this.error()) throw new Error(this.error());
      const next = this.code()
        ? await this.auth.completeLogin(this.code() ?? null, this.state() ?? null)
        : await this.auth.completeIdTokenLogin(fragment);
      await this.router.navigateByUrl(next, { replaceUrl: true });
    } catch {
      // A refused answer (token, code or error) does not stay in the address bar or the history either.
      void this.router.navigate([], { relativeTo: this.route, replaceUrl: true });
      this.failure.set({ kind: 'error', title: 'Não foi possível entrar', detail: 'O retorno do login não foi aceito. Tente de novo.' });
    }
  }
}
