import { Component } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import { Flash, FlashMessage } from './flash';

@Component({ template: '' })
class Blank {}

describe('Flash', () => {
  const norm = (t: string | null | undefined) => (t ?? '').replace(/\s+/g, ' ').trim();

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideRouter([{ path: '', component: Blank }, { path: 'filmes', component: Blank }])] });
  });

  it('shows the message through the next navigation, in a live region, and drops it on the one after', async () => {
    const fixture = TestBed.createComponent(Flash);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const region = el.querySelector('[data-testid="flash"]')!;
    expect(region.getAttribute('role')).toBe('status');
    expect(norm(region.textContent)).toBe('');

    const router = TestBed.inject(Router);
    TestBed.inject(FlashMessage).show('Sua conta foi excluída.');
    await router.navigateByUrl('/');
    fixture.detectChanges();
    expect(norm(region.querySelector('p')?.textContent)).toBe('Sua conta foi excluída.');

    await router.navigateByUrl('/filmes');
    fixture.detectChanges();
    expect(norm(region.textContent)).toBe('');
  });

  it('Fechar closes it', async () => {
    const fixture = TestBed.createComponent(Flash);
    TestBed.inject(FlashMessage).show('Sua conta foi excluída.');
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    el.querySelector('button')!.click();
    fixture.detectChanges();
    expect(TestBed.inject(FlashMessage).text()).toBeNull();
    expect(norm(el.textContent)).toBe('');
  });
});
