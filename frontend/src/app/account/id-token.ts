/** The claims the SPA reads from an OIDC ID token (the API verifies its signature). */
export interface IdTokenClaims {
  iss: string;
  aud: string | string[];
  exp: number;
  nonce?: string;
  email?: string;
}

/** Decodes a JWT's payload; throws on anything that is not a three-part JWT with those claims. */
export function idTokenClaims(jwt: string): IdTokenClaims {
  const parts = jwt.split('.');
  if (parts.length !== 3) throw new Error('not a JWT');
  const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(parts[1].length / 4) * 4, '='));
  const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0)))) as IdTokenClaims;
  if (typeof claims.iss !== 'string' || typeof claims.exp !== 'number' || claims.aud === undefined) throw new Error('missing claims');
  return claims;
}
