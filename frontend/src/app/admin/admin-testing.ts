// Test support for the admin area's specs (not loaded by the app).
import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, type TestRequest, provideHttpClientTesting } from '@angular/common/http/testing';
import type { Type } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { authInterceptor } from '../account/auth.interceptor';
import { AuthService } from '../account/auth.service';
import type { Schemas } from '../api/api-client';

export const money = (amount: number): Schemas['Money'] => ({ amount, currency: 'BRL' });
export const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();

export const CINEMAS: Schemas['Cinema'][] = [
  {
    id: 'cin-paulista', name: 'Bilhetagem Paulista', neighborhood: 'Bela Vista', address: 'Av. Paulista, 900', city: 'São Paulo', state: 'SP',
    location: { latitude: -23.56, longitude: -46.65 },
    rooms: [
      { id: 'room-1', name: 'Sala 1', formats: ['2D', '3D'], capacity: 120 },
      { id: 'room-2', name: 'Sala 2', formats: ['2D'], capacity: 80 },
    ],
  },
];

/** A problem+json answer for flush(). */
export function problem(status: number, code: string, extra: object = {}) {
  return [
    JSON.stringify({ type: `/problems/${code}`, title: 'x', status, code, ...extra }),
    { status, statusText: 'x', headers: { 'Content-Type': 'application/problem+json' } },
  ] as const;
}

/** A signed-in staff member (or buyer) and a component on the HttpClient testing backend. */
export function setupAdmin<T>(component: Type<T>, roles: Schemas['Role'][] = ['buyer', 'staff']) {
  sessionStorage.clear();
  sessionStorage.setItem('bilhetagem.session', JSON.stringify({ token: 'tok', expiresAt: Date.now() + 60_000 }));
  TestBed.configureTestingModule({
    providers: [provideRouter([]), provideHttpClient(withInterceptors([authInterceptor])), provideHttpClientTesting()],
  });
  TestBed.inject(AuthService).me.set({ sub: 'u', email: 'carla@exemplo.com.br', name: 'Carla Mendes', roles });
  const http = TestBed.inject(HttpTestingController);
  const fixture = TestBed.createComponent(component);
  const el = fixture.nativeElement as HTMLElement;
  const settle = async () => {
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r));
      fixture.detectChanges();
    }
  };
  /** The one pending request whose path (after /api) and method match. */
  const expect1 = (path: string | RegExp, method = 'GET'): TestRequest =>
    http.expectOne((r) => {
      const p = new URL(r.urlWithParams).pathname.replace(/^\/api/, '') + new URL(r.urlWithParams).search;
      return r.method === method && (typeof path === 'string' ? p === path : path.test(p));
    }, `${method} ${path}`);
  const json = (req: TestRequest, body: unknown, status = 200) => req.flush(JSON.stringify(body), { status, statusText: 'OK', headers: { 'Content-Type': 'application/json' } });
  return { fixture, el, http, settle, expect1, json };
}

/** A table row's cells, each as its normalized text. */
export const cells = (row: Element | null | undefined) => [...(row?.querySelectorAll('th, td') ?? [])].map((c) => norm(c.textContent));
