import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { Router, RouterLink, RouterOutlet } from '@angular/router';
import { AuthService } from './account/auth.service';
import { NoticeBell } from './account/notices';
import { OrderAttempts } from './checkout/order-attempt';
import { CartStore } from './concessions/cart-store';
import { HoldStore } from './seat-selection/hold-store';
import { formatTime } from './shared/locale/format';
import { Flash } from './shared/ui/flash';
import { Icon } from './shared/ui/icon';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, RouterLink, Icon, NoticeBell, Flash],
  templateUrl: './app.html',
  styleUrl: './app.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  protected readonly auth = inject(AuthService);
  protected readonly router = inject(Router);
  private readonly holds = inject(HoldStore);
  private readonly cart = inject(CartStore);
  private readonly attempts = inject(OrderAttempts);
  protected readonly firstName = computed(() => this.auth.me()?.name.split(' ')[0] ?? '');
  protected readonly endsAt = computed(() => {
    const at = this.auth.expiresAt();
    return at ? formatTime(new Date(at)) : '';
  });

  /** Sair: the token and what this tab kept of a purchase go; a hold left behind expires on the server. */
  protected logout(): void {
    this.auth.logout();
    this.holds.clear();
    this.cart.clear();
    this.attempts.clear();
    void this.router.navigateByUrl('/');
  }

  /** Signs in again before the token ends, coming back here (the issuer skips the form while its own session lasts). */
  protected stayIn(): void {
    void this.auth.login(this.router.url, this.auth.me()?.email);
  }
}
