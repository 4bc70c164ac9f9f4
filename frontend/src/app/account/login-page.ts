import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { AuthService } from './auth.service';

/** Entrar: explains why, then hands over to the issuer. */
@Component({
  selector: 'app-login-page',
  template: `
    <div class="panel">
      <h1>Entrar</h1>
      <p>Para reservar assentos e ver seus ingressos, entre com sua conta.</p>
      @if (auth.me(); as me) {
        <p class="signed">Você já entrou como <strong>{{ me.name }}</strong>.</p>
      }
      <button type="button" class="btn btn-primary btn-block" [disabled]="busy()" (click)="login()">
        {{ busy() ? 'Abrindo…' : 'Entrar' }}
      </button>
      <p class="hint">No ambiente local você escolhe uma conta de teste na página do emissor.</p>
    </div>
  `,
  styles: `
    .panel { max-width: 28rem; margin: var(--space-5) auto; padding: var(--space-5); background: var(--color-surface);
      border-radius: var(--radius-lg); box-shadow: var(--shadow-1); }
    h1 { margin-top: 0; }
    .hint { color: var(--color-text-muted); font-size: var(--text-sm); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  /** ?voltar=: the in-app path to return to. */
  readonly voltar = input<string>();
  protected readonly auth = inject(AuthService);
  protected readonly busy = signal(false);

  protected async login(): Promise<void> {
    this.busy.set(true);
    await this.auth.login(this.voltar() ?? '/');
  }
}
