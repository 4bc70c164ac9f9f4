import { ChangeDetectionStrategy, Component } from '@angular/core';

/**
 * The version of both the Política de Privacidade (/privacidade) and the
 * Termos de Uso (/termos): the day the current text took effect (YYYY-MM-DD).
 * Change it with any change of either text; both pages show it.
 */
export const LEGAL_VERSION = '2026-12-07';

/**
 * Where the buyer downloads their data and deletes their account ("Meus
 * dados"), linked from the privacy policy. LEGAL_VERSION is also the terms
 * version the API records when a buyer orders (a Go test keeps them equal).
 */
export const ACCOUNT_DATA_PATH = '/conta/dados';

/** "7 de dezembro de 2026": a YYYY-MM-DD day written out in pt-BR. */
export function formatLegalDate(day: string): string {
  return new Intl.DateTimeFormat('pt-BR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${day}T12:00:00Z`));
}

/** The version line both documents show under their title. */
@Component({
  selector: 'app-legal-version',
  template: `<p class="version" data-testid="legal-version">Versão {{ version }}, em vigor desde {{ since }}.</p>`,
  styles: `.version { margin: 0 0 var(--space-4); color: var(--color-text-muted); font-size: var(--text-sm); }`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LegalVersion {
  protected readonly version = LEGAL_VERSION;
  protected readonly since = formatLegalDate(LEGAL_VERSION);
}

/** The layout both documents share: a readable column, sections spaced, lists indented a little. */
export const LEGAL_STYLES = `
  :host { display: block; }
  .legal { max-width: 42rem; line-height: var(--leading-normal); }
  h1 { margin: 0 0 var(--space-2); font-size: var(--text-xl); }
  h2 { margin: var(--space-5) 0 var(--space-2); font-size: var(--text-lg); }
  h3 { margin: var(--space-4) 0 var(--space-2); font-size: var(--text-md); }
  p, ul { margin: 0 0 var(--space-3); }
  ul { padding-left: var(--space-5); }
  li + li { margin-top: var(--space-2); }
  .todo { padding: 0 var(--space-1); border-radius: var(--radius-sm); background: var(--color-warning-bg); color: var(--color-on-warning); }
  a { overflow-wrap: anywhere; }
`;
