import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { EnvironmentInjector, createEnvironmentInjector } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { HttpClient, provideHttpClient as provideHttp, withInterceptors } from '@angular/common/http';
import { Router, provideRouter } from '@angular/router';
import { firstValueFrom } from 'rxjs';
import { AUTH_CONFIG, REDIRECT, authConfigFrom, devAuthConfig } from './auth-config';
import { loadRuntimeConfig } from '../runtime-config';
import { authInterceptor } from './auth.interceptor';
import { AUTH_CHANNEL, AuthService, EXPIRY_WARNING_MS, safePath } from './auth.service';
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
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: REDIRECT, useValue: (u: string) => redirects.push(u) },
        { provide: AUTH_CONFIG, useValue: { ...devAuthConfig(location.origin), flow: 'code' } }],
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

  it('reads the token endpoint from the issuer\'s discovery document when the runtime config does not name it', async () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: REDIRECT, useValue: (u: string) => redirects.push(u) },
        { provide: AUTH_CONFIG, useValue: authConfigFrom({ auth: { issuer: 'https://issuer.example', clientId: 'spa', flow: 'code' } }, 'https://d1.example') }],
    });
    const issuer = TestBed.inject(HttpTestingController);
    const auth = TestBed.inject(AuthService);
    const login = auth.login('/');
    issuer.expectOne('https://issuer.example/.well-known/openid-configuration').flush({
      issuer: 'https://issuer.example', authorization_endpoint: 'https://issuer.example/authorize', token_endpoint: 'https://issuer.example/token',
    });
    await login;
    expect(new URL(redirects[0]).searchParams.get('response_type')).toBe('code');
    const { state } = JSON.parse(sessionStorage.getItem('bilhetagem.login')!);
    const done = auth.completeLogin('code-1', state).then(() => 'accepted', (e: { status?: number }) => e.status);
    await new Promise((r) => setTimeout(r));
    issuer.expectOne('https://issuer.example/token').flush('', { status: 400, statusText: 'Bad Request' });
    expect(await done).toBe(400); // the discovered token endpoint was the one called
    issuer.verify(); // discovery was read once, for both endpoints
  });

  it('refuses an ID token in a fragment when it asked for a code', async () => {
    const auth = TestBed.inject(AuthService);
    await auth.login('/');
    const { state, nonce } = JSON.parse(sessionStorage.getItem('bilhetagem.login')!);
    const idTok = jwt({ iss: ISSUER, aud: 'bilhetagem-local', exp: Math.floor(Date.now() / 1000) + 3600, nonce });
    await expect(auth.completeIdTokenLogin(`id_token=${idTok}&state=${state}`)).rejects.toThrow('login state does not match');
    expect(auth.signedIn()).toBe(false);
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

describe('AuthService: ID-token flow (Google, no client secret)', () => {
  let redirects: string[];
  let http: HttpTestingController;
  const GOOGLE = 'https://accounts.google.com';
  const CLIENT = 'abc.apps.googleusercontent.com';

  beforeEach(() => {
    sessionStorage.clear();
    redirects = [];
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: REDIRECT, useValue: (u: string) => redirects.push(u) },
        { provide: AUTH_CONFIG, useValue: authConfigFrom({ auth: { issuer: GOOGLE, clientId: CLIENT, flow: 'id_token' } }, 'https://d1.example') }],
    });
    http = TestBed.inject(HttpTestingController);
  });
  afterEach(() => http.verify());

  /** Starts a login (answering Google's discovery document) and returns what it kept. */
  async function startLogin(auth: AuthService, returnTo = '/', hint?: string) {
    const login = auth.login(returnTo, hint);
    http.expectOne(`${GOOGLE}/.well-known/openid-configuration`).flush({
      issuer: GOOGLE, authorization_endpoint: `${GOOGLE}/o/oauth2/v2/auth`, token_endpoint: 'https://oauth2.googleapis.com/token',
    });
    await login;
    return JSON.parse(sessionStorage.getItem('bilhetagem.login')!) as { state: string; nonce: string; verifier?: string; flow: string };
  }
  const fresh = (nonce: string, over: object = {}) =>
    jwt({ iss: GOOGLE, aud: CLIENT, sub: '1234', email: 'ana@gmail.com', exp: Math.floor(Date.now() / 1000) + 3600, nonce, ...over });

  it('sends the buyer to Google\'s authorization endpoint asking for an ID token in the fragment, with state and nonce, and no PKCE', async () => {
    const auth = TestBed.inject(AuthService);
    const pending = await startLogin(auth, '/compra/pagamento', 'ana@gmail.com');
    const url = new URL(redirects[0]);
    expect(url.origin + url.pathname).toBe(`${GOOGLE}/o/oauth2/v2/auth`);
    const q = url.searchParams;
    expect(q.get('response_type')).toBe('id_token');
    expect(q.get('response_mode')).toBe('fragment');
    expect(q.get('client_id')).toBe(CLIENT);
    expect(q.get('redirect_uri')).toBe(new URL('/entrar/retorno', document.baseURI).href);
    expect(q.get('scope')).toBe('openid email profile');
    expect(q.get('login_hint')).toBe('ana@gmail.com');
    expect(q.get('state')).toBe(pending.state);
    expect(q.get('nonce')).toBe(pending.nonce);
    expect(pending.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(q.has('code_challenge')).toBe(false);
    expect(q.has('client_secret')).toBe(false);
    expect(pending.verifier).toBeUndefined();
    expect(pending.flow).toBe('id_token');
  });

  it('keeps the ID token from the fragment, without calling any token endpoint, and loads the buyer', async () => {
    const auth = TestBed.inject(AuthService);
    const { state, nonce } = await startLogin(auth, '/meus-pedidos');
    const idTok = fresh(nonce);
    const done = auth.completeIdTokenLogin(`state=${state}&id_token=${idTok}&authuser=0&prompt=none`);
    await new Promise((r) => setTimeout(r));
    http.expectOne((r) => r.url.endsWith('/api/me'))
      .flush('{"sub":"1234","email":"ana@gmail.com","name":"Ana Souza","roles":["buyer"]}');
    expect(await done).toBe('/meus-pedidos');
    expect(auth.token()).toBe(idTok);
    expect(auth.me()?.name).toBe('Ana Souza');
    expect(sessionStorage.getItem('bilhetagem.login')).toBeNull();
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example' }],
    ['another audience', { aud: 'someone-else.apps.googleusercontent.com' }],
    ['another login (nonce)', { nonce: 'replayed' }],
    ['no nonce', { nonce: undefined }],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 10 }],
  ])('refuses an ID token from %s', async (_what, over) => {
    const auth = TestBed.inject(AuthService);
    const { state, nonce } = await startLogin(auth);
    await expect(auth.completeIdTokenLogin(`id_token=${fresh(nonce, over)}&state=${state}`)).rejects.toThrow();
    expect(auth.signedIn()).toBe(false);
  });

  it.each([
    ['another state', (state: string, tok: string) => `id_token=${tok}&state=x${state}`],
    ['no state', (_state: string, tok: string) => `id_token=${tok}`],
    ['no token', (state: string) => `state=${state}`],
    ['an error from the issuer', (state: string) => `error=access_denied&state=${state}`],
    ['not a JWT', (state: string) => `id_token=abc&state=${state}`],
    ['no fragment', () => null],
  ])('refuses an answer with %s, and the pending login is used up', async (_what, answer) => {
    const auth = TestBed.inject(AuthService);
    const { state, nonce } = await startLogin(auth);
    const tok = fresh(nonce);
    await expect(auth.completeIdTokenLogin(answer(state, tok))).rejects.toThrow();
    expect(auth.signedIn()).toBe(false);
    // replaying the right answer afterwards fails too
    await expect(auth.completeIdTokenLogin(`id_token=${tok}&state=${state}`)).rejects.toThrow('login state does not match');
  });

  it('refuses a code when it asked for an ID token', async () => {
    const auth = TestBed.inject(AuthService);
    const { state } = await startLogin(auth);
    await expect(auth.completeLogin('code-1', state)).rejects.toThrow('login state does not match');
  });

  it('uses the authorization endpoint of the runtime config without discovery (the development issuer)', async () => {
    TestBed.resetTestingModule();
    TestBed.configureTestingModule({
      providers: [provideHttpClient(), provideHttpClientTesting(), { provide: REDIRECT, useValue: (u: string) => redirects.push(u) }],
    });
    const auth = TestBed.inject(AuthService);
    await auth.login('/');
    TestBed.inject(HttpTestingController).verify();
    const url = new URL(redirects[0], 'http://localhost');
    expect(url.pathname).toBe('/auth/authorize');
    expect(url.searchParams.get('response_type')).toBe('id_token');
  });
});

describe('runtime config', () => {
  it('takes the issuer and client id from /config.json, and falls back to the development issuer', async () => {
    const google = authConfigFrom({ auth: { issuer: 'https://accounts.google.com', clientId: 'id.apps.googleusercontent.com' } }, 'https://x');
    expect(google).toEqual({ issuer: 'https://accounts.google.com', clientId: 'id.apps.googleusercontent.com', flow: 'id_token', authorizeUrl: undefined,
      tokenUrl: undefined, scope: 'openid email profile', callbackPath: '/entrar/retorno' });
    expect(authConfigFrom({}, 'http://localhost:8080')).toEqual(devAuthConfig('http://localhost:8080'));
    const notFound = (async () => new Response('<html>', { status: 200, headers: { 'Content-Type': 'text/html' } })) as typeof fetch;
    expect((await loadRuntimeConfig('http://localhost:8080', notFound)).auth).toEqual(devAuthConfig('http://localhost:8080'));
    const served = (async () => Response.json({ auth: { issuer: 'http://localhost:8080/auth', clientId: 'bilhetagem-local',
      authorizationEndpoint: '/auth/authorize', tokenEndpoint: '/auth/token' } })) as typeof fetch;
    expect((await loadRuntimeConfig('http://localhost:8080', served)).auth.tokenUrl).toBe('/auth/token');
  });

  it.each([
    [{ flow: 'id_token' }, 'id_token'],
    [{ flow: 'code' }, 'code'],
    [{}, 'id_token'],
    [{ flow: 'token' }, 'id_token'],
  ])('reads the sign-in flow %j as %s: anything but code is the ID-token flow', (extra, want) => {
    expect(authConfigFrom({ auth: { issuer: 'https://accounts.google.com', clientId: 'id', ...extra } }, 'https://x').flow).toBe(want);
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

describe('the tabs of one browser share the sign-in, in memory', () => {
  const delivered = () => new Promise((r) => setTimeout(r, 30));
  const meBody = JSON.stringify({ sub: 'user-ana', email: 'ana@exemplo.com.br', name: 'Ana Souza', roles: ['buyer'] });

  beforeEach(() => {
    sessionStorage.clear();
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
  });

  /** Another tab: its own AuthService (and sessionStorage, empty here), the same origin. */
  function otherTab() {
    const injector = createEnvironmentInjector([AuthService], TestBed.inject(EnvironmentInjector));
    return { auth: injector.get(AuthService), close: () => injector.destroy() };
  }

  it(`a new tab gets the open tab's session, and "Sair" in one tab leaves them all`, async () => {
    const token = jwt({ sub: 'user-ana' });
    sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token, expiresAt: Date.now() + 60_000 }));
    const first = TestBed.inject(AuthService);
    expect(first.signedIn()).toBe(true);
    sessionStorage.clear(); // a new tab starts with nothing of its own
    const second = otherTab();
    expect(second.auth.signedIn()).toBe(false);
    await delivered();
    expect(second.auth.token()).toBe(token);
    TestBed.inject(HttpTestingController).expectOne((r) => r.url.endsWith('/api/me')).flush(meBody);
    await delivered();
    expect(second.auth.me()?.name).toBe('Ana Souza');

    second.auth.logout();
    await delivered();
    expect(first.signedIn()).toBe(false);
    expect(first.sessionEnded()).toBe(false);
    second.close();
  });

  it('takes a sign-in from another tab only while signed out, and never an expired one', async () => {
    const tab = TestBed.inject(AuthService);
    const elsewhere = new BroadcastChannel(AUTH_CHANNEL);
    try {
      elsewhere.postMessage({ type: 'session', session: { token: 'velho', expiresAt: Date.now() - 1 } });
      await delivered();
      expect(tab.signedIn()).toBe(false);
      elsewhere.postMessage({ type: 'session', session: { token: 'novo', expiresAt: Date.now() + 60_000 } });
      await delivered();
      expect(tab.token()).toBe('novo');
      TestBed.inject(HttpTestingController).expectOne((r) => r.url.endsWith('/api/me')).flush(meBody);
      elsewhere.postMessage({ type: 'session', session: { token: 'de-outra-pessoa', expiresAt: Date.now() + 60_000 } });
      await delivered();
      expect(tab.token()).toBe('novo');
    } finally {
      elsewhere.close();
    }
  });
});
