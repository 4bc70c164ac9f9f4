import { signal } from '@angular/core';

/** How often a camera frame is looked at for a QR code. */
const SCAN_EVERY_MS = 250;

/** The part of the Barcode Detection API the staff screens use (not in TypeScript's DOM types yet). */
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<{ rawValue: string }[]>;
}
type BarcodeDetectorCtor = new (options: { formats: string[] }) => BarcodeDetectorLike;

/**
 * The back camera reading QR codes, for the door (tickets) and the counter
 * (pickup codes): where the browser has BarcodeDetector and a camera. It
 * looks at a frame every 250 ms until a code passes `accept`, then stops
 * and hands it over. Typing or pasting always works beside it.
 */
export class QrCamera {
  private readonly detectorCtor = (globalThis as { BarcodeDetector?: BarcodeDetectorCtor }).BarcodeDetector;
  /** The browser can read QR codes from a camera. */
  readonly supported = !!this.detectorCtor && typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
  readonly scanning = signal(false);
  /** Why the camera did not open, in pt-BR. */
  readonly problem = signal<string | null>(null);
  private stream: MediaStream | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `unavailable` is what the screen says when the camera does not open. */
  constructor(private readonly unavailable: string) {}

  /**
   * Opens the camera into the <video> that `video` gives once the screen has
   * rendered it, and calls `found` with the first code that passes `accept`.
   */
  async start(video: () => HTMLVideoElement | undefined, accept: (raw: string) => boolean, found: (raw: string) => Promise<void>): Promise<void> {
    if (!this.detectorCtor) return;
    this.problem.set(null);
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
    } catch {
      this.problem.set(this.unavailable);
      return;
    }
    this.scanning.set(true);
    // The <video> appears on the next render.
    await new Promise((r) => setTimeout(r));
    const el = video();
    if (!el) return this.stop();
    el.srcObject = this.stream;
    await el.play().catch(() => undefined);
    const detector = new this.detectorCtor({ formats: ['qr_code'] });
    let looking = false;
    this.timer = setInterval(async () => {
      if (looking || el.readyState < 2) return;
      looking = true;
      try {
        const code = (await detector.detect(el)).find((c) => accept(c.rawValue));
        if (code) {
          this.stop();
          await found(code.rawValue);
        }
      } catch {
        // a frame the detector could not read; the next one tries again
      } finally {
        looking = false;
      }
    }, SCAN_EVERY_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.stream?.getTracks().forEach((t) => t.stop());
    this.stream = null;
    this.scanning.set(false);
  }
}
