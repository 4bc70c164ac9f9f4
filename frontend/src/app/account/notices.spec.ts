import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { Schemas } from '../api/api-client';
import { authInterceptor } from './auth.interceptor';
import { AuthService } from './auth.service';
import { MyOrdersPage } from '../tickets/my-orders-page';
import { NoticeBell, NoticesPage, NoticesStore, unreadLabel } from './notices';

const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();

const cancelled: Schemas['Notice'] = {
  id: 'SHOWTIME_CANCELLED.st-1', kind: 'SHOWTIME_CANCELLED', showtimeId: 'st-1',
  message: 'A sessão de Linha de Fogo foi cancelada pelo cinema; o valor será estornado.', at: '2026-11-28T13:02:00Z',
};
const moved: Schemas['Notice'] = {
  id: 'SHOWTIME_RESCHEDULED.st-2', kind: 'SHOWTIME_RESCHEDULED', showtimeId: 'st-2',
  message: 'A sessão mudou para 21:00.', at: '2026-11-27T10:00:00Z', readAt: '2026-11-27T11:00:00Z',
};

describe('Avisos', () => {
  let http: HttpTestingController;
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
  });

  function signIn() {
    TestBed.inject(AuthService).me.set({ sub: 'user-ana', email: 'ana@exemplo.com.br', name: 'Ana Souza', roles: ['buyer'] });
  }

  it('names the bell by its unread count', () => {
    expect(unreadLabel(0)).toBe('Avisos, nenhum não lido');
    expect(unreadLabel(1)).toBe('Avisos, 1 não lido');
    expect(unreadLabel(3)).toBe('Avisos, 3 não lidos');
  });

  it('reads the notices once the buyer is known, and the bell shows the unread count', async () => {
    const fixture = TestBed.createComponent(NoticeBell);
    fixture.detectChanges();
    http.expectNone((r) => r.url.endsWith('/api/me/notices'));
    signIn();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/me/notices') && r.method === 'GET').flush(JSON.stringify({ items: [cancelled, moved], unread: 1 }));
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const bell = el.querySelector('[data-testid="notice-bell"]')!;
    expect(bell.getAttribute('aria-label')).toBe('Avisos, 1 não lido');
    expect(bell.getAttribute('href')).toBe('/conta/avisos');
    expect(norm(el.querySelector('[data-testid="notice-count"]')?.textContent)).toBe('1');
    expect(TestBed.inject(NoticesStore).forShowtime('st-1')).toEqual([cancelled]);
  });

  it('the inbox lists newest first, marks the unread ones "Novo", then marks them all read', async () => {
    signIn();
    const fixture = TestBed.createComponent(NoticesPage);
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/me/notices')).flush(JSON.stringify({ items: [cancelled, moved], unread: 1 }));
    await settle(fixture);
    const mark = http.expectOne((r) => r.url.endsWith('/api/me/notices/read') && r.method === 'POST');
    expect(JSON.parse(mark.request.body as string)).toEqual({});
    mark.flush(JSON.stringify({ items: [{ ...cancelled, readAt: '2026-11-28T14:00:00Z' }, moved], unread: 0 }));
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const items = [...el.querySelectorAll('[data-testid="notice"]')];
    expect(items.map((i) => norm(i.querySelector('.kind')?.textContent))).toEqual(['Sessão cancelada Novo', 'Sessão remarcada']);
    expect(norm(items[0].querySelector('.message')?.textContent)).toBe(cancelled.message);
    expect(norm(items[0].querySelector('.when')?.textContent)).toBe('10:02 de 28/11/2026');
    expect(TestBed.inject(NoticesStore).unread()).toBe(0);
  });

  it('an empty inbox says so, and marks nothing', async () => {
    signIn();
    const fixture = TestBed.createComponent(NoticesPage);
    fixture.detectChanges();
    await settle(fixture);
    http.expectOne((r) => r.url.endsWith('/api/me/notices')).flush(JSON.stringify({ items: [], unread: 0 }));
    await settle(fixture);
    http.expectNone((r) => r.url.endsWith('/api/me/notices/read'));
    expect((fixture.nativeElement as HTMLElement).textContent).toContain('Nenhum aviso por enquanto');
  });

  it('my orders: the cinema notice on the affected order, and a receipt link for a paid one', async () => {
    signIn();
    const fixture = TestBed.createComponent(MyOrdersPage);
    fixture.detectChanges();
    await settle(fixture);
    const money = (amount: number) => ({ amount, currency: 'BRL' as const });
    const order = (id: string, showtimeId: string, over: Partial<Schemas['Order']>): Schemas['Order'] => ({
      id, status: 'PAID', holdId: 'h-' + id,
      showtime: { id: showtimeId, movieTitle: 'Linha de Fogo', cinemaId: 'cin-paulista', cinemaName: 'Bilhetagem Paulista', roomName: 'Sala 3',
        startsAt: '2026-11-29T22:35:00Z', format: '2D', language: 'LEGENDADO' },
      tickets: [{ seatId: 'F1', row: 'F', number: 1, seatType: 'STANDARD', ticketType: 'INTEIRA', meia: false, price: money(3600), ticketId: 't-1' }],
      concessions: [], totals: { tickets: money(3600), concessions: money(0), convenienceFee: money(400), total: money(4000) },
      createdAt: '2026-11-28T12:00:00Z', expiresAt: '2026-11-28T12:10:00Z', cancellableUntil: '2026-11-29T20:35:00Z', ...over,
    } as Schemas['Order']);
    http.match((r) => r.url.includes('/api/me/orders')).forEach((r) => r.flush(JSON.stringify({ items: [
      order('ord-1', 'st-1', { status: 'REFUNDED', paidAt: '2026-11-28T12:03:00Z', refund: money(4000) }),
      order('ord-2', 'st-9', { paidAt: '2026-11-28T12:05:00Z' }),
      order('ord-3', 'st-9', { status: 'EXPIRED' }),
    ] })));
    http.expectOne((r) => r.url.endsWith('/api/me/notices')).flush(JSON.stringify({ items: [cancelled], unread: 1 }));
    await settle(fixture);
    const el = fixture.nativeElement as HTMLElement;
    const card = (id: string) => el.querySelector(`[data-order="${id}"]`)!;
    expect(norm(card('ord-1').querySelector('[data-testid="order-notice"]')?.textContent)).toBe(`Aviso do cinema: ${cancelled.message}`);
    expect(card('ord-2').querySelector('[data-testid="order-notice"]')).toBeNull();
    expect(card('ord-1').querySelector('[data-testid="receipt-link"]')?.getAttribute('href')).toBe('/conta/pedidos/ord-1/recibo');
    expect(card('ord-2').querySelector('[data-testid="receipt-link"]')?.getAttribute('href')).toBe('/conta/pedidos/ord-2/recibo');
    expect(card('ord-3').querySelector('[data-testid="receipt-link"]')).toBeNull();
  });
});
