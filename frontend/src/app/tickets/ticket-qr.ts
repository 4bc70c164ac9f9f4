import { ChangeDetectionStrategy, Component, computed, input, resource } from '@angular/core';
import QRCode from 'qrcode';

/** An SVG data URL of the QR code of `payload` (error correction M, a quiet zone of 2 modules). */
export async function qrDataUrl(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/**
 * A QR code drawn in the page, black on white for the scanners: a ticket's
 * signed payload (`BLT1.…`) for the door, or an order's pickup code for the
 * bomboniere counter.
 */
@Component({
  selector: 'app-ticket-qr',
  template: `
    @if (src(); as s) {
      <img [src]="s" [alt]="label()" [width]="size()" [height]="size()" [attr.data-payload]="payload()" />
    } @else {
      <div class="placeholder" role="img" [attr.aria-label]="label()" [style.width.px]="size()" [style.height.px]="size()"></div>
    }
  `,
  styles: `
    :host { display: inline-block; background: #fff; padding: var(--space-2); border-radius: var(--radius-sm); }
    img, .placeholder { display: block; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TicketQr {
  readonly payload = input.required<string>();
  readonly label = input('QR code do ingresso');
  /** Its side in CSS pixels. */
  readonly size = input(220);
  private readonly image = resource({ params: () => this.payload(), loader: ({ params }) => qrDataUrl(params) });
  protected readonly src = computed(() => (this.image.hasValue() ? this.image.value() : null));
}
