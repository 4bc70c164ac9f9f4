import { inject, signal } from '@angular/core';
import { Router } from '@angular/router';
import { type ProblemMessage, problemMessage } from '../api/problem-message';
import { HoldStore } from './hold-store';

export type ActiveHoldState = 'loading' | 'ready' | 'none' | 'error';

/**
 * For the steps after the seats (bomboniere, pagamento): reads the hold kept
 * in this tab back with getHold. When it has expired the buyer is sent back
 * to the seat map of its showtime, where the "expirou" notice waits; with no
 * hold at all the page says so. Call it in an injection context.
 */
export function injectActiveHold() {
  const holds = inject(HoldStore);
  const router = inject(Router);
  const state = signal<ActiveHoldState>('loading');
  const problem = signal<ProblemMessage | null>(null);

  async function load(): Promise<void> {
    state.set('loading');
    problem.set(null);
    const showtimeId = holds.showtimeId();
    try {
      if (await holds.restore()) {
        state.set('ready');
        return;
      }
      if (holds.notice() && showtimeId) {
        await router.navigate(['/sessoes', showtimeId, 'assentos']);
        return;
      }
      state.set('none');
    } catch (err) {
      problem.set(problemMessage(err, 'carregar sua reserva'));
      state.set('error');
    }
  }

  void load();
  return { hold: holds.hold.asReadonly(), state: state.asReadonly(), problem: problem.asReadonly(), reload: load };
}

/** What a later step says when this tab holds no seats. */
export const NO_HOLD: ProblemMessage = {
  kind: 'info',
  title: 'Nenhuma reserva em andamento',
  detail: 'Escolha uma sessão e reserve seus assentos para continuar.',
};
