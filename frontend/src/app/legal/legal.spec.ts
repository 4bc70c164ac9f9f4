import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { type Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { LoginPage } from '../account/login-page';
import { App } from '../app';
import { routes } from '../app.routes';
import { ACCOUNT_DATA_PATH, LEGAL_VERSION, formatLegalDate } from './legal';
import { PrivacyPage } from './privacy-page';
import { TermsPage } from './terms-page';

const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();

describe('Política de Privacidade e Termos de Uso', () => {
  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient(), provideHttpClientTesting()] });
  });

  function render<T>(component: Type<T>): HTMLElement {
    const fixture = TestBed.createComponent(component);
    fixture.detectChanges();
    return fixture.nativeElement as HTMLElement;
  }

  /** Every heading's level in document order, to check one h1 and no skipped level. */
  function headingLevels(el: HTMLElement): number[] {
    return [...el.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((h) => Number(h.tagName[1]));
  }

  function expectHeadingsInOrder(el: HTMLElement): void {
    const levels = headingLevels(el);
    expect(levels[0]).toBe(1);
    expect(levels.filter((l) => l === 1).length).toBe(1);
    levels.forEach((l, i) => {
      if (i > 0) expect(l).toBeLessThanOrEqual(levels[i - 1] + 1);
    });
  }

  it("writes the version's day out in pt-BR", () => {
    expect(formatLegalDate('2026-12-07')).toBe('7 de dezembro de 2026');
    expect(LEGAL_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  for (const [name, page, title] of [
    ['privacy', PrivacyPage, 'Política de Privacidade'],
    ['terms', TermsPage, 'Termos de Uso'],
  ] as const) {
    it(`the ${name} page: one h1 "${title}", headings in order and the version line`, () => {
      const el = render<unknown>(page);
      expect(norm(el.querySelector('h1')?.textContent)).toBe(title);
      expectHeadingsInOrder(el);
      expect(norm(el.querySelector('[data-testid="legal-version"]')?.textContent))
        .toBe(`Versão ${LEGAL_VERSION}, em vigor desde ${formatLegalDate(LEGAL_VERSION)}.`);
    });
  }

  it('the privacy page names the controller, every kind of data, the legal bases, retention, sharing and the rights', () => {
    const text = norm(render(PrivacyPage).textContent);
    for (const phrase of [
      'Rede de cinemas',
      'a preencher antes da publicação',
      // what is collected
      'identificador da conta', 'seu e-mail e seu nome', 'Pedidos e ingressos', 'Pagamentos',
      'Os dados do cartão são digitados no formulário do provedor de pagamento e ficam com ele',
      'a bandeira e os 4 últimos dígitos', 'Avisos', 'Entradas na fila virtual', 'Registros técnicos',
      // why
      'Execução de contrato', 'Obrigação legal', 'Legítimo interesse',
      // how long, with whom
      'por 5 anos', 'sem vínculo com você',
      'Provedor de pagamento', 'Amazon Web Services (AWS)', 'operadora', 'Serviço de e-mail',
      // rights and how to use them
      'art. 18', 'Meus dados', 'baixar meus dados', 'JSON', 'excluir minha conta',
      'Encarregado', 'Cookies e armazenamento local',
    ]) {
      expect(text, phrase).toContain(phrase);
    }
  });

  it('the privacy page links to the account page, where the data is downloaded and the account deleted', () => {
    const link = render(PrivacyPage).querySelector<HTMLAnchorElement>('[data-testid="account-link"]');
    expect(link?.getAttribute('href')).toBe(ACCOUNT_DATA_PATH);
    expect(norm(link?.textContent)).toBe('Meus dados');
  });

  it('the terms cover holds, meia-entrada, the fee, cancellation and refunds, the bomboniere pickup and conduct', () => {
    const text = norm(render(TermsPage).textContent);
    for (const phrase of [
      'Compra', 'alguns minutos', 'Meia-entrada', 'ele é pedido na entrada da sala', 'Taxa de conveniência',
      'Código de Defesa do Consumidor', 'Se o cinema cancelar a sessão, o reembolso é automático',
      'uma única vez', 'no balcão', 'Conduta', 'Mudanças nestes termos',
    ]) {
      expect(text, phrase).toContain(phrase);
    }
  });

  function legalLinks(el: HTMLElement): Record<string, string | null> {
    const links: Record<string, string | null> = {};
    for (const a of el.querySelectorAll('a')) {
      const name = norm(a.textContent);
      if (name === 'Termos de Uso' || name === 'Política de Privacidade') links[name] = a.getAttribute('href');
    }
    return links;
  }

  it('the footer links to both pages', () => {
    const el = render(App);
    const footer = el.querySelector('footer')!;
    expect(legalLinks(footer)).toEqual({ 'Termos de Uso': '/termos', 'Política de Privacidade': '/privacidade' });
  });

  it('the sign-in page says that entering accepts both, with a link to each', () => {
    const el = render(LoginPage);
    const consent = el.querySelector<HTMLElement>('[data-testid="legal-consent"]')!;
    expect(norm(consent.textContent)).toBe('Ao entrar, você concorda com os Termos de Uso e a Política de Privacidade.');
    expect(legalLinks(consent)).toEqual({ 'Termos de Uso': '/termos', 'Política de Privacidade': '/privacidade' });
  });

  it('both pages are public lazy routes with their own titles', () => {
    for (const [path, title] of [['privacidade', 'Política de Privacidade — Bilhetagem'], ['termos', 'Termos de Uso — Bilhetagem']]) {
      const route = routes.find((r) => r.path === path);
      expect(route?.title).toBe(title);
      expect(route?.loadComponent).toBeDefined();
      expect(route?.canActivate).toBeUndefined();
    }
  });
});
