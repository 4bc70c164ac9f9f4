import { InjectionToken } from '@angular/core';

/** Where the OIDC issuer is and who this SPA is to it. */
export interface AuthConfig {
  authorizeUrl: string;
  tokenUrl: string;
  clientId: string;
  /** Path of the route that receives the code, on this origin. */
  callbackPath: string;
}

/**
 * The development issuer the local server mounts at /auth. In AWS the same
 * flow goes to Google (a later issue provides that config at build time).
 */
export const AUTH_CONFIG = new InjectionToken<AuthConfig>('AUTH_CONFIG', {
  providedIn: 'root',
  factory: () => ({
    authorizeUrl: '/auth/authorize',
    tokenUrl: '/auth/token',
    clientId: 'bilhetagem-local',
    callbackPath: '/entrar/retorno',
  }),
});

/** Leaves the SPA for the issuer's login page; a token so tests can watch it. */
export const REDIRECT = new InjectionToken<(url: string) => void>('REDIRECT', {
  providedIn: 'root',
  factory: () => (url: string) => window.location.assign(url),
});
