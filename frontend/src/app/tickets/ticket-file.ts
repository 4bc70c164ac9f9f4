import QRCode from 'qrcode';
import type { Schemas } from '../api/api-client';
import { TICKET_TYPES } from '../seat-selection/ticket-type-labels';
import { formatShowtimeStart } from '../shared/locale/format';

type Ticket = Schemas['Ticket'];

/** "ingresso-linha-de-fogo-F9.png": the movie without accents or punctuation, and the seat. */
export function ticketFileName(t: Ticket): string {
  const movie = t.movieTitle
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `ingresso-${movie || 'bilhetagem'}-${t.seatId}.png`;
}

/** What the ticket's image says above its QR code, and what a share sends as text: movie, place, São Paulo time, seat. */
export function ticketLines(t: Ticket): string[] {
  const lines = [
    t.movieTitle,
    `${t.cinemaName}, ${t.roomName}`,
    formatShowtimeStart(t.startsAt),
    `Assento ${t.seatId} · ${TICKET_TYPES[t.ticketType]?.label ?? t.ticketType}`,
  ];
  if (t.meia) lines.push(`Meia-entrada: apresente ${t.proof || 'o documento que comprova o direito'}`);
  return lines;
}

const WIDTH = 560;
const PAD = 40;
const LINE = 34;

/**
 * The ticket as a PNG: its lines over its QR code, black on white, for the
 * door scanners. Without a 2D canvas context, the QR code alone.
 */
export async function ticketPng(t: Ticket, doc: Document = document): Promise<Blob> {
  const qr = doc.createElement('canvas');
  await QRCode.toCanvas(qr, t.qr, { errorCorrectionLevel: 'M', margin: 2, width: WIDTH - 2 * PAD });
  const lines = ticketLines(t);
  const canvas = doc.createElement('canvas');
  canvas.width = WIDTH;
  canvas.height = PAD + lines.length * LINE + PAD / 2 + qr.height + PAD;
  const ctx = canvas.getContext('2d');
  if (!ctx) return pngOf(qr);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#1c1917';
  ctx.textBaseline = 'top';
  lines.forEach((line, i) => {
    ctx.font = i === 0 ? 'bold 28px sans-serif' : '22px sans-serif';
    ctx.fillText(line, PAD, PAD + i * LINE, WIDTH - 2 * PAD);
  });
  ctx.drawImage(qr, (WIDTH - qr.width) / 2, PAD + lines.length * LINE + PAD / 2);
  return pngOf(canvas);
}

function pngOf(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((ok, fail) => canvas.toBlob((b) => (b ? ok(b) : fail(new Error('canvas toBlob gave nothing'))), 'image/png'));
}

/** What the browser offers: the Web Share API (when it has one) and a download. */
export interface ShareTarget {
  share?: (data: ShareData) => Promise<void>;
  canShare?: (data: ShareData) => boolean;
  download: (file: Blob, name: string) => void;
}

export type ShareOutcome = 'shared' | 'downloaded' | 'cancelled';

/**
 * Hands the ticket's image to the OS share sheet where the browser can share
 * files, else saves it. A share the buyer dismisses is left at that; a share
 * the browser refuses (no file sharing, lost user activation) saves instead.
 */
export async function shareTicket(t: Ticket, png: Blob, target: ShareTarget): Promise<ShareOutcome> {
  const name = ticketFileName(t);
  const data: ShareData = { files: [new File([png], name, { type: 'image/png' })], title: `Ingresso — ${t.movieTitle}`, text: ticketLines(t).join('\n') };
  if (target.share && target.canShare?.(data)) {
    try {
      await target.share(data);
      return 'shared';
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return 'cancelled';
    }
  }
  target.download(png, name);
  return 'downloaded';
}
