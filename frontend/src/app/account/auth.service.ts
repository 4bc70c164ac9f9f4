import { HttpClient, HttpParams } from '@angular/common/http';
import { DOCUMENT, Injectable, computed, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { API_CLIENT, type Schemas, unwrap } from '../api/api-client';
import { AUTH_CONFIG, REDIRECT } from './auth-config';
import { randomToken, s256 } from './pkce';

const SESSION_KEY = 'bilhetagem.session';
const PENDING_KEY = 'bilhetagem.login';

interface Session {
  token: string;
  /** epoch ms */
  expiresAt: number;
}

interface PendingLogin {
  state: string;
  verifier: string;
  nonce: string;
  returnTo: string;
}

interface TokenResponse {
  id_token: string;
  access_token: string;
  expires_in: number;
}

/**
 * Sign-in with the authorization code flow and PKCE (S256). The token lives
 * in memory and in sessionStorage (this tab only, gone when it closes); it is
 * never put in localStorage or a cookie. See docs/adr/0301.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly api = inject(API_CLIENT);
  private readonly config = inject(AUTH_CONFIG);
  private readonly redirect = inject(REDIRECT);
  private readonly document = inject(DOCUMENT);

  private readonly session = signal<Session | null>(readSession());
  readonly token = computed(() => this.session()?.token ?? null);
  readonly signedIn = computed(() => this.token() !== null);
  readonly me = signal<Schemas['Me'] | null>(null);
  /** Staff see the check-in screen; the API checks the role on every staff call. */
  readonly isStaff = computed(() => !!this.me()?.roles.includes('staff'));

  /** Goes to the issuer's login page; comes back to returnTo (an in-app path). */
  async login(returnTo = '/'): Promise<void> {
    const pending: PendingLogin = { state: randomToken(16), verifier: randomToken(32), nonce: randomToken(16), returnTo: safePath(returnTo) };
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
    const params = new URLSearchParams({
      client_id: this.config.clientId,
      redirect_uri: this.redirectUri(),
      response_type: 'code',
      scope: 'openid email profile',
      code_challenge: await s256(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    this.redirect(`${this.config.authorizeUrl}?${params}`);
  }

  /** Redeems the code the issuer sent back; answers where to go next. */
  async completeLogin(code: string | null, state: string | null): Promise<string> {
    const raw = sessionStorage.getItem(PENDING_KEY);
    sessionStorage.removeItem(PENDING_KEY);
    const pending = raw ? (JSON.parse(raw) as PendingLogin) : null;
    if (!pending || !code || state !== pending.state) {
      throw new Error('login state does not match');
    }
    const body = new HttpParams({
      fromObject: {
        grant_type: 'authorization_code',
        code,
        code_verifier: pending.verifier,
        redirect_uri: this.redirectUri(),
        client_id: this.config.clientId,
      },
    });
    const res = await firstValueFrom(
      this.http.post<TokenResponse>(this.config.tokenUrl, body.toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    );
    this.setSession({ token: res.id_token, expiresAt: Date.now() + res.expires_in * 1000 });
    await this.loadMe();
    return pending.returnTo;
  }

  /** Fetches who is signed in; a refused token ends the session. */
  async loadMe(): Promise<void> {
    if (!this.signedIn()) return;
    try {
      this.me.set(unwrap(await this.api.GET('/me')));
    } catch {
      this.logout();
    }
  }

  logout(): void {
    this.setSession(null);
    this.me.set(null);
  }

  private setSession(s: Session | null): void {
    this.session.set(s);
    if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
    else sessionStorage.removeItem(SESSION_KEY);
  }

  private redirectUri(): string {
    return new URL(this.config.callbackPath, this.document.baseURI).href;
  }
}

function readSession(): Session | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    return s && typeof s.token === 'string' && s.expiresAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

/** Only in-app paths are followed after login, never another origin. */
export function safePath(path: string): string {
  return path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\') ? path : '/';
}
