import { ChangeDetectionStrategy, Component, OnInit, inject, input, signal } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import type { ProblemMessage } from '../api/problem-message';
import { Notice } from '../shared/ui/page-states';
import { AuthService } from './auth.service';

/** /entrar/retorno: redeems the code and goes back where the buyer was. */
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
  protected readonly failure = signal<ProblemMessage | null>(null);

  async ngOnInit(): Promise<void> {
    try {
      if (this.error()) throw new Error(this.error());
      const next = await this.auth.completeLogin(this.code() ?? null, this.state() ?? null);
      await this.router.navigateByUrl(next, { replaceUrl: true });
    } catch {
      this.failure.set({ kind: 'error', title: 'Não foi possível entrar', detail: 'O retorno do login não foi aceito. Tente de novo.' });
    }
  }
}
