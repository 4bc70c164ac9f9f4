import { InjectionToken } from '@angular/core';

/**
 * How the SPA gets its ID token. `id_token`: the OIDC ID-token flow
 * (response_type=id_token, answered in the URL fragment, bound to the login by
 * its nonce): no token endpoint, no client secret; what Google offers browser
 * apps, and the default. `code`: authorization code with PKCE, for issuers that
 * redeem a public client's code without a secret. See docs/adr/0310.
 */
export type AuthFlow = 'id_token' | 'code';

/** Where the OIDC issuer is and who this SPA is to it. */
export interface AuthConfig {
  /** The `iss` of the ID tokens, e.g. https://accounts.google.com. */
  issuer: string;
  /** The OAuth client id: the ID token's audience. Public, never a secret. */
  clientId: string;
  flow: AuthFlow;
  /** From the issuer's discovery document when not given (tokenUrl only matters to the code flow). */
  authorizeUrl?: string;
  tokenUrl?: string;
  scope: string;
  /** Path of the route that receives the code or the ID token, on this origin. */
  callbackPath: string;
}

/** The development issuer the local server mounts at /auth, used when no runtime config is served. */
export function devAuthConfig(origin: string): AuthConfig {
  return {
    issuer: `${origin}/auth`,
    clientId: 'bilhetagem-local',
    flow: 'id_token',
    authorizeUrl: '/auth/authorize',
    tokenUrl: '/auth/token',
    scope: 'openid email profile',
    callbackPath: '/entrar/retorno',
  };
}

/**
 * The runtime config's `auth` (`/config.json`, read by runtime-config.ts;
 * served by the local server for the development issuer, at the edge for
 * Google) as an AuthConfig. Anything missing or malformed falls back to the
 * development issuer on this origin, so `ng serve` and the local server need
 * nothing.
 */
export function authConfigFrom(json: unknown, origin: string): AuthConfig {
  const dev = devAuthConfig(origin);
  const auth = (json as { auth?: Record<string, unknown> } | null)?.auth;
  if (!auth || typeof auth['issuer'] !== 'string' || typeof auth['clientId'] !== 'string') return dev;
  const str = (k: string) => (typeof auth[k] === 'string' && auth[k] ? (auth[k] as string) : undefined);
  return {
    issuer: auth['issuer'],
    clientId: auth['clientId'],
    // Anything but an explicit "code" is the ID-token flow, the one that needs no secret.
    flow: auth['flow'] === 'code' ? 'code' : 'id_token',
    authorizeUrl: str('authorizationEndpoint'),
    tokenUrl: str('tokenEndpoint'),
    scope: str('scope') ?? dev.scope,
    callbackPath: dev.callbackPath,
  };
}

/** The issuer settings; main.ts provides what loadRuntimeConfig read, tests get the development issuer. */
export const AUTH_CONFIG = new InjectionToken<AuthConfig>('AUTH_CONFIG', {
  providedIn: 'root',
  factory: () => devAuthConfig(globalThis.location?.origin ?? 'http://localhost'),
});

/** Leaves the SPA for the issuer's login page; a token so tests can watch it. */
export const REDIRECT = new InjectionToken<(url: string) => void>('REDIRECT', {
  providedIn: 'root',
  factory: () => (url: string) => window.location.assign(url),
});
