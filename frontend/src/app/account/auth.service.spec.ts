import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { REDIRECT } from './auth-config';
import { AuthService, safePath } from './auth.service';
import { s256 } from './pkce';

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
    const { state, verifier } = JSON.parse(sessionStorage.getItem('bilhetagem.login')!);

    const done = auth.completeLogin('code-1', state);
    const tokenReq = http.expectOne('/auth/token');
    const form = new URLSearchParams(tokenReq.request.body as string);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'authorization_code', code: 'code-1', code_verifier: verifier,
      redirect_uri: new URL('/entrar/retorno', document.baseURI).href, client_id: 'bilhetagem-local',
    });
    tokenReq.flush({ id_token: 'id-tok', access_token: 'id-tok', token_type: 'Bearer', expires_in: 3600 });
    await new Promise((r) => setTimeout(r));
    http.expectOne((r) => r.url.endsWith('/api/me'))
      .flush('{"sub":"user-ana","email":"ana@exemplo.com.br","name":"Ana Souza","roles":["buyer"]}');

    expect(await done).toBe('/meus-pedidos');
    expect(auth.token()).toBe('id-tok');
    expect(auth.me()?.name).toBe('Ana Souza');
    expect(JSON.parse(sessionStorage.getItem('bilhetagem.session')!).token).toBe('id-tok');
    expect(localStorage.getItem('bilhetagem.session')).toBeNull();
    expect(sessionStorage.getItem('bilhetagem.login')).toBeNull();

    auth.logout();
    expect(auth.signedIn()).toBe(false);
    expect(sessionStorage.getItem('bilhetagem.session')).toBeNull();
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
