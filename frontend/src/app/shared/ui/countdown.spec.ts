import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { Countdown } from './countdown';

@Component({
  imports: [Countdown],
  template: `<app-countdown [expiresAt]="expiresAt()" (expired)="expiredCount = expiredCount + 1" />`,
})
class Host {
  expiresAt = signal('');
  expiredCount = 0;
}

describe('Countdown', () => {
  const start = new Date('2026-11-28T20:00:00Z');

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(start);
  });
  afterEach(() => vi.useRealTimers());

  function mount(secondsLeft: number) {
    const fixture = TestBed.createComponent(Host);
    fixture.componentInstance.expiresAt.set(new Date(start.getTime() + secondsLeft * 1000).toISOString());
    fixture.detectChanges();
    return fixture;
  }
  const timer = (el: HTMLElement) => el.querySelector('[role="timer"]') as HTMLElement;
  async function tick(fixture: ReturnType<typeof mount>, ms: number) {
    await vi.advanceTimersByTimeAsync(ms);
    fixture.detectChanges();
  }

  it('shows the time left as mm:ss and ticks every second', async () => {
    const fixture = mount(600);
    const el = fixture.nativeElement as HTMLElement;
    expect(timer(el).textContent).toBe('10:00');
    await tick(fixture, 1000);
    expect(timer(el).textContent).toBe('09:59');
    await tick(fixture, 59_000);
    expect(timer(el).textContent).toBe('09:00');
  });

  it('gives screen readers the time in words on the timer', () => {
    const fixture = mount(125);
    expect(timer(fixture.nativeElement).getAttribute('aria-label')).toBe('Tempo restante: 2 minutos e 5 segundos');
  });

  it('turns to a warning under two minutes and announces it once', async () => {
    const fixture = mount(125);
    const el = fixture.nativeElement as HTMLElement;
    expect(el.querySelector('.countdown')?.classList).not.toContain('warning');
    await tick(fixture, 5000);
    expect(el.querySelector('.countdown')?.classList).toContain('warning');
    expect(el.querySelector('[aria-live]')?.textContent).toBe('Faltam 2 minutos para sua reserva expirar.');
  });

  it('emits expired once at zero and stays at 00:00', async () => {
    const fixture = mount(3);
    await tick(fixture, 3000);
    expect(timer(fixture.nativeElement).textContent).toBe('00:00');
    expect(fixture.componentInstance.expiredCount).toBe(1);
    await tick(fixture, 5000);
    expect(fixture.componentInstance.expiredCount).toBe(1);
    expect((fixture.nativeElement as HTMLElement).querySelector('[aria-live]')?.textContent).toBe('Sua reserva expirou.');
  });

  it('stops ticking when destroyed', async () => {
    const fixture = mount(600);
    fixture.destroy();
    expect(vi.getTimerCount()).toBe(0);
  });
});
