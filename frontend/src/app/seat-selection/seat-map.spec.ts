import { Component, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import type { Schemas } from '../api/api-client';
import { SeatMap, scrollEdges } from './seat-map';
import type { Seat } from './seat-rules';

const seatMap: Schemas['SeatMap'] = {
  layoutVersion: 1,
  width: 4,
  height: 2,
  seats: [
    { id: 'A1', row: 'A', number: 1, x: 0, y: 0, type: 'WHEELCHAIR', pair: 'A2', status: 'AVAILABLE', yours: false },
    { id: 'A2', row: 'A', number: 2, x: 1, y: 0, type: 'COMPANION', pair: 'A1', status: 'AVAILABLE', yours: false },
    { id: 'A3', row: 'A', number: 3, x: 3, y: 0, type: 'STANDARD', status: 'SOLD', yours: false },
    { id: 'B1', row: 'B', number: 1, x: 0, y: 1, type: 'COUPLE', pair: 'B2', status: 'AVAILABLE', yours: false },
    { id: 'B2', row: 'B', number: 2, x: 1, y: 1, type: 'COUPLE', pair: 'B1', status: 'AVAILABLE', yours: false },
    { id: 'B3', row: 'B', number: 3, x: 3, y: 1, type: 'VIP', status: 'AVAILABLE', yours: false },
  ],
};

@Component({
  imports: [SeatMap],
  template: `<app-seat-map [seatMap]="map" roomName="Sala 3" [selected]="selected()" (toggle)="toggled.push($event)" />`,
})
class Host {
  map = seatMap;
  selected = signal<string[]>([]);
  toggled: Seat[] = [];
}

describe('SeatMap', () => {
  function mount() {
    const fixture = TestBed.createComponent(Host);
    fixture.detectChanges();
    const el = fixture.nativeElement as HTMLElement;
    const seat = (id: string) => el.querySelector<HTMLButtonElement>(`[data-seat="${id}"]`)!;
    const key = (k: string) => {
      (document.activeElement ?? el).dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
      fixture.detectChanges();
    };
    return { fixture, el, seat, key };
  }

  it('renders every seat as a button with its spoken label, in a labelled group per row', () => {
    const { el, seat } = mount();
    expect(el.querySelectorAll('button.seat')).toHaveLength(6);
    expect(el.querySelector('[role="group"]')?.getAttribute('aria-label')).toBe('Mapa de assentos, Sala 3');
    expect([...el.querySelectorAll('.row')].map((r) => r.getAttribute('aria-label'))).toEqual(['Fileira A', 'Fileira B']);
    expect(seat('A1').getAttribute('aria-label')).toBe('Fileira A, assento 1, espaço para cadeira de rodas, com acompanhante em A2, livre');
    expect(seat('A3').getAttribute('aria-label')).toBe('Fileira A, assento 3, padrão, ocupado');
    expect(seat('B1').getAttribute('aria-label')).toBe('Fileira B, assento 1, namoradeira, junto com B2, livre');
  });

  it('places seats on the grid columns of the layout, keeping the aisle', () => {
    const { seat } = mount();
    expect(seat('A3').style.gridColumn).toBe('4');
    expect(seat('B2').style.gridColumn).toBe('2');
  });

  it('is one tab stop: only the first selectable seat is tabbable', () => {
    const { el, seat } = mount();
    expect([...el.querySelectorAll('[tabindex="0"]')]).toEqual([seat('A1')]);
    expect(seat('B3').tabIndex).toBe(-1);
  });

  it('moves focus and the tab stop with the arrow keys, jumping the aisle', () => {
    const { seat, key } = mount();
    seat('A1').focus();
    key('ArrowRight');
    expect(document.activeElement).toBe(seat('A2'));
    key('ArrowRight');
    expect(document.activeElement).toBe(seat('A3'));
    expect(seat('A3').tabIndex).toBe(0);
    expect(seat('A1').tabIndex).toBe(-1);
    key('ArrowDown');
    expect(document.activeElement).toBe(seat('B3'));
    key('Home');
    expect(document.activeElement).toBe(seat('B1'));
    key('ArrowUp');
    expect(document.activeElement).toBe(seat('A1'));
  });

  it('keeps taken seats focusable but marked aria-disabled, and does not emit for them', () => {
    const { fixture, seat } = mount();
    expect(seat('A3').getAttribute('aria-disabled')).toBe('true');
    expect(seat('A3').disabled).toBe(false);
    seat('A3').click();
    expect(fixture.componentInstance.toggled).toEqual([]);
  });

  it('emits the seat on activation and shows the selection with aria-pressed', () => {
    const { fixture, seat } = mount();
    seat('B3').click();
    expect(fixture.componentInstance.toggled.map((s) => s.id)).toEqual(['B3']);
    expect(seat('B3').getAttribute('aria-pressed')).toBe('false');
    fixture.componentInstance.selected.set(['B3']);
    fixture.detectChanges();
    expect(seat('B3').getAttribute('aria-pressed')).toBe('true');
    expect(seat('B3').textContent?.trim()).toBe('✓');
  });

  it('shows a symbol per seat type and joins couple halves', () => {
    const { seat } = mount();
    expect(seat('A1').textContent?.trim()).toBe('♿');
    expect(seat('A2').textContent?.trim()).toBe('A');
    expect(seat('B3').textContent?.trim()).toBe('V');
    expect(seat('A3').textContent?.trim()).toBe('×');
    expect(seat('B1').classList).toContain('pair-left');
    expect(seat('B2').classList).toContain('pair-right');
  });

  it('marks the seats of the buyer\'s hold as yours, in look and in words', () => {
    const fixture = TestBed.createComponent(SeatMap);
    fixture.componentRef.setInput('seatMap', { ...seatMap, seats: seatMap.seats.map((s) => (s.id === 'B3' ? { ...s, status: 'HELD', yours: true } : s)) });
    fixture.detectChanges();
    const b3 = (fixture.nativeElement as HTMLElement).querySelector('[data-seat="B3"]')!;
    expect(b3.classList).toContain('yours');
    expect(b3.textContent?.trim()).toBe('★');
    expect(b3.getAttribute('aria-label')).toBe('Fileira B, assento 3, VIP, reservado por você');
    expect((fixture.nativeElement as HTMLElement).querySelector('[aria-label="Legenda"]')?.textContent).toContain('Reservado por você');
  });

  it('has a legend naming every seat type', () => {
    const { el } = mount();
    const legend = el.querySelector('[aria-label="Legenda"]')?.textContent ?? '';
    for (const word of ['Livre', 'Escolhido', 'Ocupado', 'Cadeirante', 'Acompanhante', 'Namoradeira', 'VIP']) {
      expect(legend).toContain(word);
    }
  });

  describe('on a screen narrower than the room', () => {
    /** Gives the scroller the sizes a 390 px phone gives a wide room (jsdom lays nothing out), then scrolls it to `left`. */
    function scrollTo(fixture: ReturnType<typeof mount>['fixture'], el: HTMLElement, left: number) {
      const scroller = el.querySelector<HTMLElement>('.scroller')!;
      Object.defineProperty(scroller, 'scrollWidth', { configurable: true, value: 800 });
      Object.defineProperty(scroller, 'clientWidth', { configurable: true, value: 360 });
      Object.defineProperty(scroller, 'scrollLeft', { configurable: true, value: left, writable: true });
      scroller.dispatchEvent(new Event('scroll'));
      fixture.detectChanges();
      const viewport = el.querySelector('.viewport')!;
      return { left: viewport.classList.contains('more-left'), right: viewport.classList.contains('more-right') };
    }

    it('fades the edges with more room beyond them, and says the map can be dragged until it is', () => {
      const { fixture, el } = mount();
      expect(el.querySelector('[data-testid="scroll-hint"]')).toBeNull();
      expect(scrollTo(fixture, el, 0)).toEqual({ left: false, right: true });
      expect(el.querySelector('[data-testid="scroll-hint"]')?.textContent).toContain('Arraste para ver a sala toda');
      expect(scrollTo(fixture, el, 220)).toEqual({ left: true, right: true });
      expect(el.querySelector('[data-testid="scroll-hint"]')).toBeNull();
      expect(scrollTo(fixture, el, 440)).toEqual({ left: true, right: false });
      expect(scrollTo(fixture, el, 0)).toEqual({ left: false, right: true });
      expect(el.querySelector('[data-testid="scroll-hint"]')).toBeNull();
    });

    it('keeps the fades and arrows out of what a screen reader reads', () => {
      const { fixture, el } = mount();
      scrollTo(fixture, el, 0);
      const fades = [...el.querySelectorAll('.fade')];
      expect(fades).toHaveLength(2);
      expect(fades.every((f) => f.getAttribute('aria-hidden') === 'true')).toBe(true);
      expect(el.querySelector('.hint-arrows')?.getAttribute('aria-hidden')).toBe('true');
    });
  });
});

describe('scrollEdges', () => {
  it('sees nothing hidden when the room fits', () => {
    expect(scrollEdges({ scrollLeft: 0, scrollWidth: 300, clientWidth: 360 })).toEqual({ left: false, right: false });
    expect(scrollEdges({ scrollLeft: 0, scrollWidth: 361, clientWidth: 360 })).toEqual({ left: false, right: false });
  });

  it('sees the right side hidden at the start, both in the middle, the left at the end', () => {
    expect(scrollEdges({ scrollLeft: 0, scrollWidth: 800, clientWidth: 360 })).toEqual({ left: false, right: true });
    expect(scrollEdges({ scrollLeft: 220, scrollWidth: 800, clientWidth: 360 })).toEqual({ left: true, right: true });
    expect(scrollEdges({ scrollLeft: 440, scrollWidth: 800, clientWidth: 360 })).toEqual({ left: true, right: false });
  });

  it('takes a sub-pixel position at an end as the end', () => {
    expect(scrollEdges({ scrollLeft: 439.5, scrollWidth: 800, clientWidth: 360 })).toEqual({ left: true, right: false });
    expect(scrollEdges({ scrollLeft: 0.5, scrollWidth: 800, clientWidth: 360 })).toEqual({ left: false, right: true });
  });
});
