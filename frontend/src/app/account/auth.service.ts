import { HttpClient, HttpParams } from '@angular/common/http';
import { DOCUMENT, DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { firstValueFrom } from 'rxjs';
import { API_CLIENT, type Schemas, unwrap } from '../api/api-client';
import { AUTH_CONFIG, type AuthFlow, REDIRECT } from './auth-config';
import { idTokenClaims } from './id-token';
import { randomToken, s256 } from './pkce';

const SESSION_KEY = 'bilhetagem.session';
const PENDING_KEY = 'bilhetagem.login';
/** The tabs of this browser on this origin tell each other their sign-in here, in memory. */
export const AUTH_CHANNEL = 'bilhetagem.auth';

/** What one tab tells the others: who is signed in (asked, or just signed in), or that the buyer left. */
type TabMessage = { type: 'ask' } | { type: 'session'; session: Session } | { type: 'signout' };

interface Session {
  token: string;
  /** epoch ms */
  expiresAt: number;
}

interface PendingLogin {
  /** The flow this login asked for; the answer must be of the same kind. */
  flow: AuthFlow;
  state: string;
  /** PKCE code verifier (code flow only). */
  verifier?: string;
  nonce: string;
  returnTo: string;
}

/** How long before the token ends the buyer is offered to sign in again without losing their place. */
export const EXPIRY_WARNING_MS = 2 * 60_000;

interface TokenResponse {
  id_token: string;
  access_token: string;
  expires_in: number;
}

/**
 * Sign-in against the issuer of the runtime config (the development issuer
 * locally, Google in AWS) by its flow: the OIDC ID-token flow (the ID token
 * comes back in the URL fragment; no token endpoint, no client secret) or the
 * authorization code flow with PKCE (S256). Either way the ID token's
 * issuer, audience, nonce and expiry are checked before it is kept; it lives
 * in memory and in sessionStorage (this tab only, gone when it closes), never
 * in localStorage or a cookie. The tabs of this browser share it in memory
 * through a BroadcastChannel: a new tab asks the open ones, a sign-in
 * reaches the tabs signed out, and "Sair" leaves them all. Two minutes before it ends the
 * buyer is offered to sign in again; when it ends, or when the API answers
 * 401, the session is dropped and the buyer signs in and comes back to where
 * they were. See docs/adr/0301, 0309 and 0310.
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
  /** epoch ms at which the ID token stops being accepted. */
  readonly expiresAt = computed(() => this.session()?.expiresAt ?? null);
  /** The token ends within EXPIRY_WARNING_MS. */
  readonly expiringSoon = signal(false);
  /** The session ended by itself (expiry or a 401), not by "Sair": the header says so. */
  readonly sessionEnded = signal(false);
  private timers: ReturnType<typeof setTimeout>[] = [];
  private discovered: Promise<Discovery> | null = null;
  private readonly tabs: BroadcastChannel | null = typeof BroadcastChannel === 'function' ? new BroadcastChannel(AUTH_CHANNEL) : null;

  constructor() {
    this.schedule();
    inject(DestroyRef).onDestroy(() => {
      this.timers.forEach(clearTimeout);
      this.tabs?.close();
    });
    if (this.tabs) {
      this.tabs.onmessage = (e: MessageEvent<TabMessage>) => this.fromTab(e.data);
      if (!this.session()) this.tell({ type: 'ask' });
    }
  }

  /** Another tab asked who is signed in, signed in, or left. */
  private fromTab(m: TabMessage): void {
    const mine = this.session();
    switch (m?.type) {
      case 'ask':
        if (mine) this.tell({ type: 'session', session: mine });
        return;
      case 'session': {
        const s = m.session;
        if (mine || !s || typeof s.token !== 'string' || !(s.expiresAt > Date.now())) return;
        this.sessionEnded.set(false);
        this.setSession({ token: s.token, expiresAt: s.expiresAt });
        void this.loadMe();
        return;
      }
      case 'signout':
        if (mine) this.drop();
        return;
    }
  }

  private tell(m: TabMessage): void {
    this.tabs?.postMessage(m);
  }
  /** Staff see the check-in screen; the API checks the role on every staff call. */
  readonly isStaff = computed(() => !!this.me()?.roles.includes('staff'));

  /** Goes to the issuer's login page; comes back to returnTo (an in-app path). */
  async login(returnTo = '/', loginHint?: string): Promise<void> {
    const { flow, clientId, scope } = this.config;
    const authorizeUrl = await this.authorizeUrl();
    const pending: PendingLogin = { flow, state: randomToken(16), nonce: randomToken(16), returnTo: safePath(returnTo) };
    const params = new URLSearchParams({ client_id: clientId, redirect_uri: this.redirectUri(), scope });
    if (flow === 'code') {
      pending.verifier = randomToken(32);
      params.set('response_type', 'code');
      params.set('code_challenge', await s256(pending.verifier));
      params.set('code_challenge_method', 'S256');
    } else {
      params.set('response_type', 'id_token');
      params.set('response_mode', 'fragment');
    }
    params.set('state', pending.state);
    params.set('nonce', pending.nonce);
    if (loginHint) params.set('login_hint', loginHint);
    sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
    this.redirect(`${authorizeUrl}?${params}`);
  }

  /** Code flow: redeems the code the issuer sent back; answers where to go next. */
  async completeLogin(code: string | null, state: string | null): Promise<string> {
    const pending = takePending();
    if (!pending || pending.flow !== 'code' || !pending.verifier || !code || state !== pending.state) {
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
    const tokenUrl = await this.tokenUrl();
    const res = await firstValueFrom(
      this.http.post<TokenResponse>(tokenUrl, body.toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    );
    return this.accept(res.id_token, pending);
  }

  /**
   * ID-token flow: takes the ID token from the fragment the issuer sent back
   * (`id_token=…&state=…`, or `error=…`); answers where to go next.
   */
  async completeIdTokenLogin(fragment: string | null): Promise<string> {
    const pending = takePending();
    const answer = new URLSearchParams(fragment ?? '');
    if (!pending || pending.flow !== 'id_token' || answer.get('state') !== pending.state) {
      throw new Error('login state does not match');
    }
    const error = answer.get('error');
    if (error) throw new Error(`the issuer refused the login: ${error}`);
    const idToken = answer.get('id_token');
    if (!idToken) throw new Error('no id token in the answer');
    return this.accept(idToken, pending);
  }

  /** The API verifies the signature; the SPA refuses a token that is not for it, not from its issuer, or not of this login. */
  private async accept(idToken: string, pending: PendingLogin): Promise<string> {
    const claims = idTokenClaims(idToken);
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (claims.iss !== this.config.issuer || !aud.includes(this.config.clientId) || claims.nonce !== pending.nonce) {
      throw new Error('id token is not for this login');
    }
    if (claims.exp * 1000 <= Date.now()) throw new Error('id token has expired');
    this.sessionEnded.set(false);
    this.setSession({ token: idToken, expiresAt: claims.exp * 1000 });
    this.tell({ type: 'session', session: { token: idToken, expiresAt: claims.exp * 1000 } });
    await this.loadMe();
    return pending.returnTo;
  }

  /** Fetches who is signed in; a refused token ends the session. */
  async loadMe(): Promise<void> {
    if (!this.signedIn()) return;
    try {
      this.me.set(unwrap(await this.api.GET('/me')));
    } catch {
      this.expire();
    }
  }

  /** Sair: the token and any pending login are dropped from this tab, and the other tabs leave too. */
  logout(): void {
    this.drop();
    this.tell({ type: 'signout' });
  }

  private drop(): void {
    this.setSession(null);
    this.me.set(null);
    this.sessionEnded.set(false);
    sessionStorage.removeItem(PENDING_KEY);
  }

  /** The token ran out or the API refused it (401): drop it and say the session ended. */
  expire(): void {
    if (!this.session()) return;
    this.setSession(null);
    this.me.set(null);
    this.sessionEnded.set(true);
  }

  private setSession(s: Session | null): void {
    this.session.set(s);
    if (s) sessionStorage.setItem(SESSION_KEY, JSON.stringify(s));
    else sessionStorage.removeItem(SESSION_KEY);
    this.schedule();
  }

  /** Timers for "expiring soon" and the end of the session. */
  private schedule(): void {
    this.timers.forEach(clearTimeout);
    this.timers = [];
    this.expiringSoon.set(false);
    const end = this.session()?.expiresAt;
    if (!end) return;
    const left = end - Date.now();
    if (left <= EXPIRY_WARNING_MS) this.expiringSoon.set(true);
    else this.timers.push(setTimeout(() => this.expiringSoon.set(true), left - EXPIRY_WARNING_MS));
    this.timers.push(setTimeout(() => this.expire(), Math.max(0, left)));
  }

  /** Where the login starts: from the runtime config, or the issuer's discovery document. */
  private async authorizeUrl(): Promise<string> {
    return this.config.authorizeUrl ?? (await this.discover()).authorization_endpoint;
  }

  /** Where the code flow redeems its code: from the runtime config, or the issuer's discovery document. */
  private async tokenUrl(): Promise<string> {
    return this.config.tokenUrl ?? (await this.discover()).token_endpoint;
  }

  private discover(): Promise<Discovery> {
    this.discovered ??= firstValueFrom(this.http.get<Discovery>(`${this.config.issuer}/.well-known/openid-configuration`));
    return this.discovered;
  }

  private redirectUri(): string {
    return new URL(this.config.callbackPath, this.document.baseURI).href;
  }
}

interface Discovery {
  authorization_endpoint: string;
  token_endpoint: string;
}

/** The pending login, used up by the first answer that arrives, good or bad. */
function takePending(): PendingLogin | null {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  try {
    return raw ? (JSON.parse(raw) as PendingLogin) : null;
  } catch {
    return null;
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
