import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * A few inline SVG icons (no icon font, no emoji: devices without an emoji
 * font would show boxes). Always decorative: the text beside them says it.
 */
export type IconName = 'film' | 'info' | 'warning' | 'clock' | 'bell';

@Component({
  selector: 'app-icon',
  template: `
    <svg viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true" focusable="false" fill="none"
      stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      @switch (name()) {
        @case ('film') {
          <rect x="3" y="4" width="18" height="16" rx="2" /><path d="M7 4v16M17 4v16M3 9h4M3 15h4M17 9h4M17 15h4" />
        }
        @case ('info') {
          <circle cx="12" cy="12" r="9" /><path d="M12 11v5M12 8h.01" />
        }
        @case ('warning') {
          <path d="M12 3 2 20h20L12 3z" /><path d="M12 10v4M12 17h.01" />
        }
        @case ('clock') {
          <circle cx="12" cy="12" r="9" /><path d="M12 7v5l3 2" />
        }
        @case ('bell') {
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" /><path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        }
      }
    </svg>
  `,
  styles: `:host { display: inline-flex; vertical-align: -0.125em; }`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class Icon {
  readonly name = input.required<IconName>();
}
