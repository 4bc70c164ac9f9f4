import { ChangeDetectionStrategy, Component, computed, input, resource } from '@angular/core';
import QRCode from 'qrcode';

/** An SVG data URL of the QR code of `payload` (error correction M, a quiet zone of 2 modules). */
export async function qrDataUrl(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** A ticket's QR code, drawn in the page from its signed payload (`BLT1.…`), black on white for the door scanners. */
@Component({
  selector: 'app-ticket-qr',
  template: `
    @if (src(); as s) {
      <img [src]="s" [alt]="label()" width="220" height="220" [attr.data-payload]="payload()" />
    } @else {
      <div class="placeholder" role="img" [attr.aria-label]="label()"></div>
    }
  `,
  styles: `
    :host { display: inline-block; background: #fff; padding: var(--space-2); border-radius: var(--radius-sm); }
    img, .placeholder { display: block; width: 220px; height: 220px; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TicketQr {
  readonly payload = input.required<string>();
  readonly label = input('QR code do ingresso');
  private readonly image = resource({ params: () => this.payload(), loader: ({ params }) => qrDataUrl(params) });
  protected readonly src = computed(() => (this.image.hasValue() ? this.image.value() : null));
}
