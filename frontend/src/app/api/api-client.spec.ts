import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { authInterceptor } from '../account/auth.interceptor';
import { AuthService } from '../account/auth.service';
import { API_CLIENT, ApiError, unwrap } from './api-client';
import { problemMessage } from './problem-message';

describe('the generated API client over HttpClient', () => {
  let http: HttpTestingController;

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  /** Lets openapi-fetch build its Request before the test looks for it. */
  const settle = () => new Promise((r) => setTimeout(r));

  it('GETs /api paths with query parameters and parses the JSON', async () => {
    const api = TestBed.inject(API_CLIENT);
    const pending = api.GET('/movies', { params: { query: { status: 'NOW_SHOWING', cinemaId: 'cin-paulista' } } });
    await settle();
    const req = http.expectOne((r) => r.url.endsWith('/api/movies?status=NOW_SHOWING&cinemaId=cin-paulista'));
    expect(req.request.method).toBe('GET');
    req.flush(JSON.stringify({ items: [] }), { headers: { 'Content-Type': 'application/json' } });
    expect(unwrap(await pending)).toEqual({ items: [] });
  });

  it('turns a 501 problem into an ApiError with the stable code', async () => {
    const api = TestBed.inject(API_CLIENT);
    const pending = api.POST('/holds', { body: { showtimeId: 'st-1', seats: [{ seatId: 'F1', ticketType: 'INTEIRA' }] } });
    await settle();
    const req = http.expectOne((r) => r.url.endsWith('/api/holds'));
    expect(JSON.parse(req.request.body as string)).toEqual({ showtimeId: 'st-1', seats: [{ seatId: 'F1', ticketType: 'INTEIRA' }] });
    expect(req.request.headers.get('content-type')).toBe('application/json');
    req.flush(JSON.stringify({ type: '/problems/not_implemented', title: 'Ainda não implementado', status: 501, code: 'not_implemented', detail: 'a operação createHold ainda não foi implementada' }),
      { status: 501, statusText: 'Not Implemented', headers: { 'Content-Type': 'application/problem+json' } });
    const result = await pending;
    let thrown: unknown;
    try { unwrap(result); } catch (e) { thrown = e; }
    expect(thrown).toBeInstanceOf(ApiError);
    expect((thrown as ApiError).status).toBe(501);
    expect((thrown as ApiError).code).toBe('not_implemented');
    const msg = problemMessage(thrown, 'reservar assentos');
    expect(msg).toEqual({
      kind: 'info',
      code: 'not_implemented',
      title: 'Ainda não disponível',
      detail: 'Não é possível reservar assentos por aqui ainda: esta etapa do Bilhetagem ainda não está disponível. Nada foi feito.',
    });
    expect(msg.detail).not.toContain('createHold');
  });

  it('adds the bearer token to /api calls once signed in, and not before', async () => {
    const api = TestBed.inject(API_CLIENT);
    const first = api.GET('/me');
    await settle();
    const anon = http.expectOne((r) => r.url.endsWith('/api/me'));
    expect(anon.request.headers.has('Authorization')).toBe(false);
    anon.flush('{"code":"unauthorized","title":"x","type":"/p","status":401}', { status: 401, statusText: 'Unauthorized' });
    await first;

    sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok-123', expiresAt: Date.now() + 60_000 }));
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    http = TestBed.inject(HttpTestingController);
    expect(TestBed.inject(AuthService).signedIn()).toBe(true);
    const second = TestBed.inject(API_CLIENT).GET('/me');
    await settle();
    const authed = http.expectOne((r) => r.url.endsWith('/api/me'));
    expect(authed.request.headers.get('Authorization')).toBe('Bearer tok-123');
    authed.flush('{"sub":"user-ana","email":"ana@exemplo.com.br","name":"Ana Souza","roles":["buyer"]}');
    expect(unwrap(await second).name).toBe('Ana Souza');
  });

  it('never sends the token to another origin or outside /api', async () => {
    sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok-123', expiresAt: Date.now() + 60_000 }));
    const client = TestBed.inject(HttpTestingController);
    const httpClient = TestBed.inject((await import('@angular/common/http')).HttpClient);
    httpClient.get('https://evil.example/api/me').subscribe();
    httpClient.get('/auth/jwks.json').subscribe();
    for (const r of client.match(() => true)) {
      expect(r.request.headers.has('Authorization')).toBe(false);
      r.flush('{}');
    }
  });

  it('reports an unreachable server as a connection problem', async () => {
    const api = TestBed.inject(API_CLIENT);
    const pending = api.GET('/cinemas');
    await settle();
    http.expectOne((r) => r.url.endsWith('/api/cinemas')).error(new ProgressEvent('error'), { status: 0 });
    const err = await pending.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect(problemMessage(err, 'carregar os filmes').title).toBe('Sem conexão');
  });
});
