import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { Schemas } from '../api/api-client';
import { CartStore } from '../concessions/cart-store';
import { HoldStore } from '../seat-selection/hold-store';
import { FlashMessage } from '../shared/ui/flash';
import { authInterceptor } from './auth.interceptor';
import { AuthService } from './auth.service';
import { ACCOUNT_DELETED, EXPORT_FILE_NAME, MyDataPage } from './my-data-page';

const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();

const EXPORT: Schemas['BuyerDataExport'] = {
  exportedAt: '2026-12-07T20:15:00-03:00',
  subject: 'user-ana',
  profile: { email: 'ana@exemplo.com.br', name: 'Ana Souza', updatedAt: '2026-12-05T19:02:00-03:00' },
  consent: { termsVersion: '2026-12-07', acceptedAt: '2026-12-05T19:02:00-03:00' },
  orders: [],
  payments: [],
  tickets: [],
  notices: [],
  waitingRoomEntries: [],
  concessionHistory: { orders: 2, products: [{ productId: 'pipoca-salgada', orders: 2 }] },
} as Schemas['BuyerDataExport'];

const problem = (status: number, code: string, detail: string) =>
  [
    JSON.stringify({ type: `/problems/${code}`, title: 'Conta não pode ser excluída agora', status, code, detail }),
    { status, statusText: 'x', headers: { 'Content-Type': 'application/problem+json' } },
  ] as const;

describe('Meus dados', () => {
  let http: HttpTestingController;
  /** What the page handed to the browser to save: the blob and the link clicked. */
  let blobs: Blob[];
  let clicks: { href: string; download: string; inDocument: boolean }[];

  const settle = async (fixture?: { detectChanges(): void }) => {
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r));
      fixture?.detectChanges();
    }
  };

  beforeEach(() => {
    sessionStorage.clear();
    sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 60_000 }));
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    blobs = [];
    clicks = [];
    vi.stubGlobal('URL', Object.assign(class extends URL {}, {
      createObjectURL: vi.fn((b: Blob) => (blobs.push(b), `blob:bilhetagem/${blobs.length}`)),
      revokeObjectURL: vi.fn(),
    }));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push({ href: this.href, download: this.download, inDocument: this.isConnected });
    });
  });

  afterEach(() => {
    http.verify();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  async function open() {
    TestBed.inject(AuthService).me.set({ sub: 'user-ana', email: 'ana@exemplo.com.br', name: 'Ana Souza', roles: ['buyer'] });
    const fixture = TestBed.createComponent(MyDataPage);
    fixture.detectChanges();
    await settle(fixture);
    // Signing in reads the notices (the header's bell): answered, so only the page's calls are left.
    http.match((r) => r.url.endsWith('/api/me/notices')).forEach((r) => r.flush(JSON.stringify({ items: [], unread: 0 })));
    const el = fixture.nativeElement as HTMLElement;
    const q = <T extends Element = HTMLElement>(id: string) => el.querySelector<T>(`[data-testid="${id}"]`);
    return { fixture, el, q };
  }

  it("says what is kept and why, and links to the privacy policy", async () => {
    const { el, q } = await open();
    expect(norm(el.querySelector('h1')?.textContent)).toBe('Meus dados');
    expect(norm(q('data-intro')?.textContent)).toMatch(/guarda seu nome e e-mail.*regras fiscais/);
    expect(q('data-intro')?.querySelector('a')?.getAttribute('href')).toBe('/privacidade');
  });

  it('exports: GET /api/me/data with the token, saved as meus-dados-bilhetagem.json through a temporary link', async () => {
    const { fixture, q } = await open();
    q<HTMLButtonElement>('export-button')!.click();
    await settle(fixture);
    // While the API answers, the button says so and cannot be pressed twice.
    expect(norm(q('export-button')?.textContent)).toBe('Preparando o arquivo…');
    expect(q<HTMLButtonElement>('export-button')!.disabled).toBe(true);
    const req = http.expectOne((r) => r.url.endsWith('/api/me/data'));
    expect(req.request.method).toBe('GET');
    expect(req.request.headers.get('Authorization')).toBe('Bearer tok');
    req.flush(JSON.stringify(EXPORT), {
      headers: { 'Content-Type': 'application/json', 'Content-Disposition': 'attachment; filename="meus-dados-bilhetagem.json"' },
    });
    await settle(fixture);

    expect(EXPORT_FILE_NAME).toBe('meus-dados-bilhetagem.json');
    expect(clicks).toEqual([{ href: 'blob:bilhetagem/1', download: 'meus-dados-bilhetagem.json', inDocument: true }]);
    expect(blobs[0].type).toBe('application/json');
    expect(JSON.parse(await blobs[0].text())).toEqual(EXPORT);
    // The temporary link is gone from the page once clicked.
    expect(document.querySelector('a[download]')).toBeNull();
    expect(norm(q('export-status')?.textContent)).toBe('Pronto: seus dados foram baixados no arquivo meus-dados-bilhetagem.json.');
    expect(q<HTMLButtonElement>('export-button')!.disabled).toBe(false);
  });

  it('an export that fails says so, offers a retry, and saves nothing', async () => {
    const { fixture, q } = await open();
    q<HTMLButtonElement>('export-button')!.click();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/me/data')).flush(...problem(503, 'service_unavailable', 'tente de novo'));
    await settle(fixture);
    expect(clicks).toEqual([]);
    expect(norm(q('export-problem')?.textContent)).toContain('Serviço indisponível');
    expect(norm(q('export-status')?.textContent)).toBe('');
    (q('export-problem')!.querySelector('button') as HTMLButtonElement).click();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/me/data')).flush(JSON.stringify(EXPORT));
    await settle(fixture);
    expect(clicks.map((c) => c.download)).toEqual(['meus-dados-bilhetagem.json']);
    expect(q('export-problem')).toBeNull();
  });

  it('delete: the dialog says what happens, takes focus, and Esc closes it without deleting', async () => {
    const { fixture, q } = await open();
    const opener = q<HTMLButtonElement>('delete-button')!;
    opener.focus();
    opener.click();
    await settle(fixture);
    const dialog = q<HTMLDialogElement>('delete-dialog')!;
    expect(dialog.open).toBe(true);
    expect(document.activeElement?.id).toBe('delete-dialog-title');
    const what = norm(dialog.querySelector('#delete-dialog-what')?.textContent);
    expect(what).toContain('pedidos e pagamentos continuam guardados, sem o seu nome, porque as regras fiscais exigem');
    expect(what).toContain('Ingressos para sessões que ainda vão acontecer precisam ser cancelados antes');
    expect(what).toContain('Não dá para desfazer.');
    expect(dialog.getAttribute('aria-describedby')).toBe('delete-dialog-what');

    dialog.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    await settle(fixture);
    expect(dialog.open).toBe(false);
    expect(document.activeElement).toBe(opener);
    http.expectNone((r) => r.url.endsWith('/api/me'));
  });

  it('delete needs the box ticked; then DELETE /api/me, and on 204 the buyer is signed out and sent home with a message', async () => {
    const { fixture, q } = await open();
    const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl');
    const holds = vi.spyOn(TestBed.inject(HoldStore), 'clear');
    const cart = vi.spyOn(TestBed.inject(CartStore), 'clear');
    q<HTMLButtonElement>('delete-button')!.click();
    await settle(fixture);

    // Without the box: nothing is sent, the refusal is told and the box focused.
    q<HTMLButtonElement>('delete-confirm')!.click();
    await settle(fixture);
    http.expectNone((r) => r.url.endsWith('/api/me'));
    const box = q<HTMLInputElement>('delete-understood')!;
    expect(document.activeElement).toBe(box);
    expect(box.getAttribute('aria-invalid')).toBe('true');
    expect(norm(q('delete-dialog')!.querySelector('[role="alert"]')?.textContent)).toBe('Marque a caixa acima para confirmar a exclusão.');

    box.click();
    await settle(fixture);
    q<HTMLButtonElement>('delete-confirm')!.click();
    await settle(fixture);
    expect(norm(q('delete-confirm')?.textContent)).toBe('Excluindo…');
    const req = http.expectOne((r) => r.url.endsWith('/api/me'));
    expect(req.request.method).toBe('DELETE');
    expect(req.request.headers.get('Authorization')).toBe('Bearer tok');
    req.flush(null, { status: 204, statusText: 'No Content' });
    await settle(fixture);

    const auth = TestBed.inject(AuthService);
    expect(auth.signedIn()).toBe(false);
    expect(auth.me()).toBeNull();
    expect(sessionStorage.getItem('bilhetagem.session')).toBeNull();
    expect(holds).toHaveBeenCalled();
    expect(cart).toHaveBeenCalled();
    expect(navigate).toHaveBeenCalledWith('/');
    expect(TestBed.inject(FlashMessage).text()).toBe(ACCOUNT_DELETED);
    expect(ACCOUNT_DELETED).toBe('Sua conta foi excluída.');
  });

  for (const [code, detail] of [
    ['account_has_future_tickets', 'você tem ingressos para O Agente Secreto em uma sessão que ainda não aconteceu; cancele o pedido ord-7Kq2 (com reembolso) ou use os ingressos antes de excluir a conta'],
    ['account_has_open_order', 'o pedido ord-7Kq2 ainda aguarda pagamento; pague ou cancele-o antes de excluir a conta'],
  ] as const) {
    it(`a 409 ${code} shows the detail and a link to Meus pedidos, and does not sign out`, async () => {
      const { fixture, q } = await open();
      const navigate = vi.spyOn(TestBed.inject(Router), 'navigateByUrl');
      q<HTMLButtonElement>('delete-button')!.click();
      await settle(fixture);
      q<HTMLInputElement>('delete-understood')!.click();
      await settle(fixture);
      q<HTMLButtonElement>('delete-confirm')!.click();
      await settle(fixture);
      http.expectOne((r) => r.url.endsWith('/api/me') && r.method === 'DELETE').flush(...problem(409, code, detail));
      await settle(fixture);

      expect(q<HTMLDialogElement>('delete-dialog')!.open).toBe(false);
      const notice = q('delete-problem')!;
      expect(notice.querySelector('[role="alert"]')).not.toBeNull();
      expect(norm(notice.querySelector('.detail')?.textContent)).toBe(detail[0].toUpperCase() + detail.slice(1) + '.');
      expect(q('orders-link')?.getAttribute('href')).toBe('/conta/pedidos');
      expect(notice.querySelector('button')).toBeNull();
      expect(TestBed.inject(AuthService).signedIn()).toBe(true);
      expect(TestBed.inject(FlashMessage).text()).toBeNull();
      expect(navigate).not.toHaveBeenCalled();
    });
  }

  it('any other failure: a generic message with a retry that asks again, still signed in', async () => {
    const { fixture, q } = await open();
    q<HTMLButtonElement>('delete-button')!.click();
    await settle(fixture);
    q<HTMLInputElement>('delete-understood')!.click();
    await settle(fixture);
    q<HTMLButtonElement>('delete-confirm')!.click();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/me') && r.method === 'DELETE').flush(...problem(500, 'internal', 'boom'));
    await settle(fixture);

    const notice = q('delete-problem')!;
    expect(norm(notice.textContent)).toContain('Não foi possível excluir sua conta. Tente de novo em instantes.');
    expect(q('orders-link')).toBeNull();
    expect(TestBed.inject(AuthService).signedIn()).toBe(true);
    // The retry opens the confirmation again, the box unticked.
    (notice.querySelector('button') as HTMLButtonElement).click();
    await settle(fixture);
    expect(q<HTMLDialogElement>('delete-dialog')!.open).toBe(true);
    expect(q<HTMLInputElement>('delete-understood')!.checked).toBe(false);
    expect(q('delete-problem')).toBeNull();
  });
});
