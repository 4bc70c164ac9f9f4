import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { HttpClient, provideHttpClient as provideHttp, withInterceptors } from '@angular/common/http';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { AUTH_CONFIG, REDIRECT, authConfigFrom, devAuthConfig, loadAuthConfig } from './auth-config';
import { authInterceptor } from './auth.interceptor';
import { AuthService, EXPIRY_WARNING_MS, safePath } from './auth.service';
import { s256 } from './pkce';

/** An unsigned JWT with these claims (the SPA reads claims; the API checks signatures). */
function jwt(claims: object): string {
  const b64 = (o: object) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return `${b64({ alg: 'RS256', kid: 'k' })}.${b64(claims)}.c2ln`;
}
const ISSUER = `${location.origin}/auth`;

describe('AuthService: code flow with PKCE', () => {
  let redirects: string[];
  let http: HttpTestingController;

  beforeEach(() => {
    sessionStorage.clear();
    redirects = [];
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: REDIRECT, useValue: (u: string) => redirects.push(u) }],
    });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  it('computes the S256 challenge: SHA-256, base64url, no padding', async () => {
    // Expected value from `printf %s <verifier> | sha256sum`, re-encoded as base64url.
    const challenge = await s256('dBjftJeZ4CVP-mJ92K9kWSR28gVJ4uDw-AtL6SLiGdc');
    expect(challenge).toBe('isXv3GknxuJTavcn0YqqJh3IzP1342Z-e86IrkyYBNU');
    expect(challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('sends the buyer to the issuer with client, redirect, S256 challenge and state', async () => {
    const auth = TestBed.inject(AuthService);
    await auth.login('/sessoes/st-1/assentos');
    expect(redirects).toHaveLength(1);
    const url = new URL(redirects[0], 'http://localhost');
    expect(url.pathname).toBe('/auth/authorize');
    const q = url.searchParams;
    expect(q.get('client_id')).toBe('bilhetagem-local');
    expect(q.get('response_type')).toBe('code');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('redirect_uri')).toBe(new URL('/entrar/retorno', document.baseURI).href);
    const pending = JSON.parse(sessionStorage.getItem('bilhetagem.login')!);
    expect(q.get('state')).toBe(pending.state);
    expect(q.get('code_challenge')).toBe(await s256(pending.verifier));
    expect(pending.verifier).toHaveLength(43);
    expect(pending.returnTo).toBe('/sessoes/st-1/assentos');
  });

  it('redeems the code with the verifier, keeps the token in this tab and loads the buyer', async () => {
    const auth = TestBed.inject(AuthService);
    await auth.login('/meus-pedidos');
    const { state, verifier, nonce } = JSON.parse(sessionStorage.getItem('bilhetagem.login')!);

    const done = auth.completeLogin('code-1', state);
    await new Promise((r) => setTimeout(r));
    const tokenReq = http.expectOne('/auth/token');
    const form = new URLSearchParams(tokenReq.request.body as string);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'authorization_code', code: 'code-1', code_verifier: verifier,
      redirect_uri: new URL('/entrar/retorno', document.baseURI).href, client_id: 'bilhetagem-local',
    });
    const exp = Math.floor(Date.now() / 1000) + 3600;
    const pendingNonce = JSON.parse(sessionStorage.getItem('bilhetagem.login') ?? 'null')?.nonce;
    expect(pendingNonce).toBeUndefined(); // used up when the callback arrives
    const idTok = jwt({ iss: ISSUER, aud: 'bilhetagem-local', sub: 'user-ana', exp, nonce: nonce });
    tokenReq.flush({ id_token: idTok, access_token: idTok, token_type: 'Bearer', expires_in: 3600 });
    await new Promise((r) => setTimeout(r));
    http.expectOne((r) => r.url.endsWith('/api/me'))
      .flush('{"sub":"user-ana","email":"ana@exemplo.com.br","name":"Ana Souza","roles":["buyer"]}');

    expect(await done).toBe('/meus-pedidos');
    expect(auth.token()).toBe(idTok);
    expect(auth.expiresAt()).toBe(exp * 1000);
    expect(auth.me()?.name).toBe('Ana Souza');
    expect(JSON.parse(sessionStorage.getItem('bilhetagem.session')!).token).toBe(idTok);
    expect(localStorage.getItem('bilhetagem.session')).toBeNull();
    expect(sessionStorage.getItem('bilhetagem.login')).toBeNull();

    auth.logout();
    expect(auth.signedIn()).toBe(false);
    expect(sessionStorage.getItem('bilhetagem.session')).toBeNull();
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example' }],
    ['another audience', { aud: 'someone-else' }],
    ['another login (nonce)', { nonce: 'replayed' }],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 10 }],
  ])('refuses an ID token from %s', async (_what, over) => {
    const auth = TestBed.inject(AuthService);
    await auth.login('/');
    const { state, nonce } = JSON.parse(sessionStorage.getItem('bilhetagem.login')!);
    const done = auth.completeLogin('code-1', state);
    await new Promise((r) => setTimeout(r));
    const claims = { iss: ISSUER, aud: ['bilhetagem-local'], exp: Math.floor(Date.now() / 1000) + 3600, nonce, ...over };
    http.expectOne('/auth/token').flush({ id_token: jwt(claims), expires_in: 3600 });
    await expect(done).rejects.toThrow();
    expect(auth.signedIn()).toBe(false);
  });

  it('warns two minutes before the token ends, then drops it and says the session ended', () => {
    vi.useFakeTimers();
    try {
      sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 5 * 60_000 }));
      const auth = TestBed.inject(AuthService);
      expect(auth.signedIn()).toBe(true);
      expect(auth.expiringSoon()).toBe(false);
      vi.advanceTimersByTime(5 * 60_000 - EXPIRY_WARNING_MS);
      expect(auth.expiringSoon()).toBe(true);
      vi.advanceTimersByTime(EXPIRY_WARNING_MS);
      expect(auth.signedIn()).toBe(false);
      expect(auth.sessionEnded()).toBe(true);
      expect(sessionStorage.getItem('bilhetagem.session')).toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it('reads the endpoints from the issuer\'s discovery document when the runtime config does not name them', async () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: REDIRECT, useValue: (u: string) => redirects.push(u) },
        { provide: AUTH_CONFIG, useValue: authConfigFrom({ auth: { issuer: 'https://accounts.google.com', clientId: 'abc.apps.googleusercontent.com' } }, 'https://d1.example') }],
    });
    const google = TestBed.inject(HttpTestingController);
    const login = TestBed.inject(AuthService).login('/compra/pagamento', 'ana@exemplo.com.br');
    google.expectOne('https://accounts.google.com/.well-known/openid-configuration').flush({
      issuer: 'https://accounts.google.com', authorization_endpoint: 'https://accounts.google.com/o/oauth2/v2/auth',
      token_endpoint: 'https://oauth2.googleapis.com/token',
    });
    await login;
    const url = new URL(redirects[0]);
    expect(url.origin + url.pathname).toBe('https://accounts.google.com/o/oauth2/v2/auth');
    expect(url.searchParams.get('client_id')).toBe('abc.apps.googleusercontent.com');
    expect(url.searchParams.get('login_hint')).toBe('ana@exemplo.com.br');
    expect(url.searchParams.get('scope')).toBe('openid email profile');
  });

  it('refuses a callback whose state does not match, without calling the issuer', async () => {
    const auth = TestBed.inject(AuthService);
    await auth.login('/');
    await expect(auth.completeLogin('code-1', 'forged')).rejects.toThrow('login state does not match');
    // the pending login is used up: replaying the right state fails too
    await expect(auth.completeLogin('code-1', 'anything')).rejects.toThrow();
  });

  it('forgets an expired session', () => {
    sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'old', expiresAt: Date.now() - 1 }));
    expect(TestBed.inject(AuthService).signedIn()).toBe(false);
  });

  it.each([
    ['/sessoes/x/assentos', '/sessoes/x/assentos'],
    ['https://evil.example/', '/'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['javascript:alert(1)', '/'],
  ])('follows only in-app paths after login: %s → %s', (input, want) => {
    expect(safePath(input)).toBe(want);
  });
});

describe('runtime config', () => {
  it('takes the issuer and client id from /config.json, and falls back to the development issuer', async () => {
    const google = authConfigFrom({ auth: { issuer: 'https://accounts.google.com', clientId: 'id.apps.googleusercontent.com' } }, 'https://x');
    expect(google).toEqual({ issuer: 'https://accounts.google.com', clientId: 'id.apps.googleusercontent.com', authorizeUrl: undefined,
      tokenUrl: undefined, scope: 'openid email profile', callbackPath: '/entrar/retorno' });
    expect(authConfigFrom({}, 'http://localhost:8080')).toEqual(devAuthConfig('http://localhost:8080'));
    const notFound = (async () => new Response('<html>', { status: 200, headers: { 'Content-Type': 'text/html' } })) as typeof fetch;
    expect(await loadAuthConfig('http://localhost:8080', notFound)).toEqual(devAuthConfig('http://localhost:8080'));
    const served = (async () => Response.json({ auth: { issuer: 'http://localhost:8080/auth', clientId: 'bilhetagem-local',
      authorizationEndpoint: '/auth/authorize', tokenEndpoint: '/auth/token' } })) as typeof fetch;
    expect((await loadAuthConfig('http://localhost:8080', served)).tokenUrl).toBe('/auth/token');
  });
});

describe('a 401 from the API', () => {
  it('ends the session and sends the buyer to sign in, coming back to the page they were on', async () => {
    sessionStorage.clear();
    sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 60_000 }));
    sessionStorage.setItem('bilhetagem.hold', JSON.stringify({ id: 'h-abc', showtimeId: 'st-1' }));
    TestBed.configureTestingModule({
      providers: [provideRouter([]), provideHttp(withInterceptors([authInterceptor])), provideHttpClientTesting()],
    });
    const router = TestBed.inject(Router);
    vi.spyOn(router, 'url', 'get').mockReturnValue('/compra/pagamento');
    const navigate = vi.spyOn(router, 'navigate').mockResolvedValue(true);
    const call = firstValueFrom(TestBed.inject(HttpClient).get('/api/holds/h-abc')).catch(() => 'refused');
    TestBed.inject(HttpTestingController).expectOne('/api/holds/h-abc').flush('', { status: 401, statusText: 'Unauthorized' });
    expect(await call).toBe('refused');
    const auth = TestBed.inject(AuthService);
    expect(auth.signedIn()).toBe(false);
    expect(auth.sessionEnded()).toBe(true);
    expect(navigate).toHaveBeenCalledWith(['/entrar'], { queryParams: { voltar: '/compra/pagamento', motivo: 'sessao' } });
    expect(sessionStorage.getItem('bilhetagem.hold')).not.toBeNull();
  });
});
