import { ChangeDetectionStrategy, Component, DOCUMENT, ElementRef, computed, inject, signal, viewChild } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { API_CLIENT, unwrap } from '../api/api-client';
import { type ProblemMessage, problemMessage } from '../api/problem-message';
import { OrderAttempts } from '../checkout/order-attempt';
import { CartStore } from '../concessions/cart-store';
import { HoldStore } from '../seat-selection/hold-store';
import { downloadFile } from '../shared/download';
import { FlashMessage } from '../shared/ui/flash';
import { Notice } from '../shared/ui/page-states';
import { AuthService } from './auth.service';

/** The name the export is saved under (the API's Content-Disposition says the same). */
export const EXPORT_FILE_NAME = 'meus-dados-bilhetagem.json';

/** What the home page says once the account is gone. */
export const ACCOUNT_DELETED = 'Sua conta foi excluída.';

/** The refusals of deleteMyAccount that something in Meus pedidos clears (an order to pay, tickets to cancel). */
const BLOCKED_BY_ORDERS = new Set(['account_has_open_order', 'account_has_future_tickets']);

/**
 * Meus dados (/conta/dados): what the cinema keeps about the buyer and why,
 * a copy of it as JSON (exportMyData, saved as meus-dados-bilhetagem.json),
 * and the deletion of the account (deleteMyAccount) after a confirm dialog
 * that says what happens and asks for an explicit "I understand". Once
 * deleted the buyer is signed out, as by Sair, and sent home with a message;
 * a refusal (an order waiting for payment, tickets for a showtime to come)
 * shows the API's detail and a link to Meus pedidos, where it is sorted out.
 */
@Component({
  selector: 'app-my-data-page',
  imports: [RouterLink, Notice],
  template: `
    <h1>Meus dados</h1>
    <p class="lead" data-testid="data-intro">
      O Bilhetagem guarda seu nome e e-mail, os termos que você aceitou, seus pedidos, pagamentos e ingressos, os avisos
      que recebeu, suas entradas em filas virtuais e o que você pede na bomboniere. Usamos esses dados para vender e
      validar seus ingressos, avisar quando uma sessão sua muda, cumprir as regras fiscais e sugerir primeiro o que você
      mais pede. Saiba mais na <a routerLink="/privacidade">Política de privacidade</a>.
    </p>

    <section class="card" aria-labelledby="export-title">
      <h2 id="export-title">Baixar uma cópia</h2>
      <p>Um arquivo JSON com tudo o que o cinema guarda sobre você, para guardar ou levar a outro serviço.</p>
      <button type="button" class="btn btn-primary" data-testid="export-button" [disabled]="exporting()"
        [attr.aria-busy]="exporting() || null" (click)="exportData()">
        {{ exporting() ? 'Preparando o arquivo…' : 'Baixar meus dados (JSON)' }}
      </button>
      <p class="status" role="status" data-testid="export-status">{{ exportStatus() }}</p>
      @if (exportProblem(); as p) {
        <app-notice [message]="p" [retryable]="true" (retry)="exportData()" data-testid="export-problem" />
      }
    </section>

    <section class="card" aria-labelledby="delete-title">
      <h2 id="delete-title">Excluir minha conta</h2>
      <p>Apaga seu perfil e o que o cinema guarda sobre você. Antes, você confirma e vê exatamente o que acontece.</p>
      @if (deleteProblem(); as p) {
        <app-notice [message]="p" [retryable]="!blocked()" (retry)="ask()" data-testid="delete-problem">
          @if (blocked()) {
            <p class="orders-link"><a routerLink="/conta/pedidos" data-testid="orders-link">Ver meus pedidos</a></p>
          }
        </app-notice>
      }
      <button #opener type="button" class="btn btn-danger" data-testid="delete-button" (click)="ask()">Excluir minha conta</button>
    </section>

    <dialog #confirm aria-labelledby="delete-dialog-title" aria-describedby="delete-dialog-what" data-testid="delete-dialog"
      (cancel)="onCancel($event)" (keydown.escape)="onCancel($event)" (close)="onClosed()">
      <h2 #dialogTitle id="delete-dialog-title" tabindex="-1">Excluir sua conta?</h2>
      <ul id="delete-dialog-what">
        <li>Seu nome, e-mail, os termos aceitos, avisos, filas virtuais e o histórico da bomboniere são apagados.</li>
        <li>Seus pedidos e pagamentos continuam guardados, sem o seu nome, porque as regras fiscais exigem.</li>
        <li>Ingressos para sessões que ainda vão acontecer precisam ser cancelados antes (em Meus pedidos), e um pedido
          aguardando pagamento precisa ser pago ou expirar.</li>
        <li><strong>Não dá para desfazer.</strong> Se você entrar de novo, começa uma conta nova, vazia.</li>
      </ul>
      <label class="check">
        <input #understoodBox type="checkbox" data-testid="delete-understood" [checked]="understood()"
          [attr.aria-describedby]="needsConfirm() ? 'delete-confirm-error' : null" [attr.aria-invalid]="needsConfirm() || null"
          (change)="setUnderstood($event)" />
        Entendo que a exclusão da minha conta não pode ser desfeita.
      </label>
      @if (needsConfirm()) {
        <p id="delete-confirm-error" class="field-error" role="alert">Marque a caixa acima para confirmar a exclusão.</p>
      }
      <div class="dialog-actions">
        <button type="button" class="btn btn-secondary" (click)="closeDialog()">Manter minha conta</button>
        <button type="button" class="btn btn-danger" data-testid="delete-confirm" [disabled]="deleting()" (click)="confirmDelete()">
          {{ deleting() ? 'Excluindo…' : 'Excluir definitivamente' }}
        </button>
      </div>
    </dialog>
  `,
  styles: `
    :host { display: block; max-width: 40rem; }
    h1 { margin: 0 0 var(--space-3); font-size: var(--text-xl); }
    h2 { font-size: var(--text-lg); }
    .card { margin-top: var(--space-4); padding: var(--space-4); background: var(--color-surface); border-radius: var(--radius-md);
      box-shadow: var(--shadow-1); }
    .card p { margin: 0 0 var(--space-3); }
    .card .btn { width: 100%; }
    @media (min-width: 30rem) { .card .btn { width: auto; } }
    .status:empty { display: none; }
    .status { margin: var(--space-3) 0 0 !important; color: var(--color-success); }
    app-notice { display: block; margin-bottom: var(--space-3); }
    .orders-link { margin: var(--space-2) 0 0 !important; }
    .orders-link a { color: inherit; font-weight: var(--weight-semibold); }
    .btn-danger { background: var(--color-danger); color: var(--color-text-inverse); }
    dialog { border: 0; border-radius: var(--radius-md); padding: var(--space-4); width: min(28rem, calc(100vw - 2 * var(--space-4)));
      box-shadow: var(--shadow-1); background: var(--color-surface); color: var(--color-text); }
    dialog::backdrop { background: rgb(0 0 0 / 0.5); }
    dialog h2:focus { outline: none; }
    dialog ul { margin: 0 0 var(--space-3); padding-left: var(--space-5); display: grid; gap: var(--space-2); }
    .check { display: flex; gap: var(--space-2); align-items: flex-start; min-height: var(--touch-target); font-weight: var(--weight-semibold); }
    .check input { flex: none; width: 1.25rem; height: 1.25rem; margin: 0.1rem 0 0; }
    .field-error { margin: var(--space-1) 0 0; color: var(--color-danger); }
    .dialog-actions { display: flex; justify-content: flex-end; gap: var(--space-3); flex-wrap: wrap; margin-top: var(--space-4); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MyDataPage {
  private readonly api = inject(API_CLIENT);
  private readonly auth = inject(AuthService);
  private readonly holds = inject(HoldStore);
  private readonly cart = inject(CartStore);
  private readonly attempts = inject(OrderAttempts);
  private readonly flash = inject(FlashMessage);
  private readonly router = inject(Router);
  private readonly document = inject(DOCUMENT);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('confirm');
  private readonly dialogTitle = viewChild.required<ElementRef<HTMLElement>>('dialogTitle');
  private readonly understoodBox = viewChild.required<ElementRef<HTMLInputElement>>('understoodBox');
  private readonly opener = viewChild.required<ElementRef<HTMLButtonElement>>('opener');

  protected readonly exporting = signal(false);
  protected readonly exportStatus = signal('');
  protected readonly exportProblem = signal<ProblemMessage | null>(null);

  protected readonly understood = signal(false);
  /** Excluir was pressed without the box ticked. */
  protected readonly needsConfirm = signal(false);
  protected readonly deleting = signal(false);
  protected readonly deleteProblem = signal<ProblemMessage | null>(null);
  /** The refusal is one that Meus pedidos sorts out, so the notice links there instead of offering a retry. */
  protected readonly blocked = computed(() => BLOCKED_BY_ORDERS.has(this.deleteProblem()?.code ?? ''));

  /** Baixar meus dados: exportMyData, saved from a blob (the call needs the bearer token, so no plain link). */
  protected async exportData(): Promise<void> {
    if (this.exporting()) return;
    this.exporting.set(true);
    this.exportStatus.set('');
    this.exportProblem.set(null);
    try {
      const data = unwrap(await this.api.GET('/me/data'));
      const file = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
      downloadFile(file, EXPORT_FILE_NAME, this.document);
      this.exportStatus.set(`Pronto: seus dados foram baixados no arquivo ${EXPORT_FILE_NAME}.`);
    } catch (err) {
      this.exportProblem.set(problemMessage(err, 'baixar seus dados'));
    } finally {
      this.exporting.set(false);
    }
  }

  /** Opens the confirm dialog, its title focused so it is read from the top (Esc or Manter minha conta closes it). */
  protected ask(): void {
    this.deleteProblem.set(null);
    this.understood.set(false);
    this.needsConfirm.set(false);
    const d = this.dialog().nativeElement;
    if (!d.open) {
      if (typeof d.showModal === 'function') d.showModal();
      else d.setAttribute('open', '');
    }
    this.dialogTitle().nativeElement.focus();
  }

  protected setUnderstood(event: Event): void {
    const checked = (event.target as HTMLInputElement).checked;
    this.understood.set(checked);
    if (checked) this.needsConfirm.set(false);
  }

  /** Esc (or the browser's close request): closes the dialog unless the deletion is already under way. */
  protected onCancel(event: Event): void {
    event.preventDefault();
    if (!this.deleting()) this.closeDialog();
  }

  protected closeDialog(): void {
    const d = this.dialog().nativeElement;
    if (!d.open) return;
    if (typeof d.close === 'function') d.close();
    else d.removeAttribute('open');
    this.onClosed();
  }

  /** Focus goes back to the button that opened the dialog (also on the dialog's own close event). */
  protected onClosed(): void {
    this.needsConfirm.set(false);
    if (!this.deleted) this.opener().nativeElement.focus();
  }

  private deleted = false;

  /**
   * deleteMyAccount once the box is ticked. 204: signed out as by Sair
   * (token, hold, bomboniere and order of this tab dropped) and home with
   * ACCOUNT_DELETED. A refusal or failure closes the dialog and is told
   * beside the button.
   */
  protected async confirmDelete(): Promise<void> {
    if (this.deleting()) return;
    if (!this.understood()) {
      this.needsConfirm.set(true);
      this.understoodBox().nativeElement.focus();
      return;
    }
    this.deleting.set(true);
    try {
      unwrap(await this.api.DELETE('/me'));
    } catch (err) {
      this.deleting.set(false);
      this.deleteProblem.set(problemMessage(err, 'excluir sua conta'));
      this.closeDialog();
      return;
    }
    this.deleted = true;
    this.closeDialog();
    this.auth.logout();
    this.holds.clear();
    this.cart.clear();
    this.attempts.clear();
    this.flash.show(ACCOUNT_DELETED);
    this.deleting.set(false);
    await this.router.navigateByUrl('/');
  }
}
