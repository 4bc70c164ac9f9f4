import { HttpClient, HttpErrorResponse, HttpHeaders } from '@angular/common/http';
import { DOCUMENT, InjectionToken, inject } from '@angular/core';
import createClient, { type Client } from 'openapi-fetch';
import { firstValueFrom } from 'rxjs';
import type { components, paths } from './openapi.gen';

/** The contract's schemas, generated from openapi/openapi.yaml. */
export type Schemas = components['schemas'];
export type ApiClient = Client<paths>;

/**
 * The typed API client: openapi-fetch over the generated `paths`, sending
 * every request through Angular's HttpClient so the functional interceptors
 * (the bearer token) and HttpTestingController apply to it.
 */
export const API_CLIENT = new InjectionToken<ApiClient>('API_CLIENT', {
  providedIn: 'root',
  factory: () =>
    createClient<paths>({
      baseUrl: new URL('/api', inject(DOCUMENT).baseURI).href,
      fetch: httpClientFetch(inject(HttpClient)),
    }),
});

/** A fetch function that runs on HttpClient and answers every HTTP status as a Response. */
export function httpClientFetch(http: HttpClient): (request: Request) => Promise<Response> {
  return async (request) => {
    const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.text();
    let headers = new HttpHeaders();
    request.headers.forEach((value, name) => (headers = headers.set(name, value)));
    try {
      const res = await firstValueFrom(
        http.request(request.method, request.url, { body, headers, observe: 'response', responseType: 'text' }),
      );
      return toResponse(res.status, res.headers, res.body);
    } catch (err) {
      if (err instanceof HttpErrorResponse && err.status !== 0) {
        return toResponse(err.status, err.headers, typeof err.error === 'string' ? err.error : null);
      }
      throw new TypeError('network error', { cause: err });
    }
  };
}

function toResponse(status: number, headers: HttpHeaders, body: string | null): Response {
  const h = new Headers();
  for (const k of headers.keys()) h.set(k, headers.getAll(k)?.join(', ') ?? '');
  const empty = status === 204 || status === 304 || body === null || body === '';
  return new Response(empty ? null : body, { status, headers: h });
}

export type Problem = Schemas['Problem'];

/** A failed API call: the problem+json the API answered, when it answered one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.name = 'ApiError';
  }

  get code(): string | undefined {
    return this.problem?.code;
  }
}

/** The data of a successful openapi-fetch result, or an ApiError. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    const p = result.error as Partial<Problem> | undefined;
    const problem = p && typeof p === 'object' && typeof p.code === 'string' ? (p as Problem) : undefined;
    throw new ApiError(result.response.status, problem);
  }
  return result.data as T;
}
