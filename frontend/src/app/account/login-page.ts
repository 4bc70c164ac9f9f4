import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { AuthService } from './auth.service';

/** Entrar: explains why, says that entering accepts the Termos de Uso and the Política de Privacidade, then hands over to the issuer. */
@Component({
  selector: 'app-login-page',
  imports: [RouterLink],
  template: `
    <div class="panel">
      <h1>Entrar</h1>
      @if (motivo() === 'sessao') {
        <p class="ended" role="alert" data-testid="session-ended">
          Sua sessão expirou. Entre de novo para continuar de onde parou: sua reserva continua guardada até o fim do tempo.
        </p>
      } @else {
        <p>Para reservar assentos e ver seus ingressos, entre com sua conta.</p>
      }
      @if (auth.me(); as me) {
        <p class="signed">Você já entrou como <strong>{{ me.name }}</strong>.</p>
      }
      <button type="button" class="btn btn-primary btn-block" [disabled]="busy()" (click)="login()">
        {{ busy() ? 'Abrindo…' : 'Entrar' }}
      </button>
      @if (failed()) {
        <p class="ended" role="alert">Não foi possível abrir a página de login. Verifique sua conexão e tente de novo.</p>
      }
      <p class="hint" data-testid="legal-consent">
        Ao entrar, você concorda com os <a routerLink="/termos">Termos de Uso</a> e a
        <a routerLink="/privacidade">Política de Privacidade</a>.
      </p>
      <p class="hint">Você entra com sua conta Google. No ambiente local, escolhe uma conta de teste na página do emissor.</p>
    </div>
  `,
  styles: `
    .panel { max-width: 28rem; margin: var(--space-5) auto; padding: var(--space-5); background: var(--color-surface);
      border-radius: var(--radius-lg); box-shadow: var(--shadow-1); }
    h1 { margin-top: 0; }
    .ended { padding: var(--space-3); border-radius: var(--radius-md); background: var(--color-warning-bg); color: var(--color-on-warning); }
    .hint { color: var(--color-text-muted); font-size: var(--text-sm); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LoginPage {
  /** ?voltar=: the in-app path to return to. */
  readonly voltar = input<string>();
  /** ?motivo=sessao: the session ended (expired, or the API refused it). */
  readonly motivo = input<string>();
  protected readonly auth = inject(AuthService);
  protected readonly busy = signal(false);
  protected readonly failed = signal(false);

  protected async login(): Promise<void> {
    this.busy.set(true);
    this.failed.set(false);
    try {
      await this.auth.login(this.voltar() ?? '/');
    } catch {
      // the issuer's discovery document could not be read
      this.failed.set(true);
      this.busy.set(false);
    }
  }
}
