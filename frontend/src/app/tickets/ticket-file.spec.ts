import type { Schemas } from '../api/api-client';
import { type ShareTarget, shareTicket, ticketFileName, ticketLines } from './ticket-file';

const ticket = (over: Partial<Schemas['Ticket']> = {}): Schemas['Ticket'] => ({
  id: 't-F9', orderId: 'ord-1', showtimeId: 'st-1', movieTitle: 'Linha de Fogo', cinemaName: 'Bilhetagem Paulista', roomName: 'Sala 3',
  startsAt: '2026-11-29T22:35:00Z', format: '2D', language: 'LEGENDADO', seatId: 'F9', row: 'F', number: 9, seatType: 'STANDARD',
  ticketType: 'INTEIRA', meia: false, status: 'VALID', qr: 'BLT1.claims.sig', ...over,
});

const png = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' });

/** A browser with (or without) the Web Share API, recording what was shared and saved. */
function browser(share?: (data: ShareData) => Promise<void>, canShare = true) {
  const shared: ShareData[] = [];
  const saved: string[] = [];
  const target: ShareTarget = {
    download: (_file, name) => saved.push(name),
    ...(share ? { share: async (d: ShareData) => { shared.push(d); await share(d); }, canShare: () => canShare } : {}),
  };
  return { target, shared, saved };
}

describe('ticket file', () => {
  it('names the file after the movie, without accents or punctuation, and the seat', () => {
    expect(ticketFileName(ticket())).toBe('ingresso-linha-de-fogo-F9.png');
    expect(ticketFileName(ticket({ movieTitle: 'Ainda Estou Aqui: a Série!', seatId: 'A10' }))).toBe('ingresso-ainda-estou-aqui-a-serie-A10.png');
    expect(ticketFileName(ticket({ movieTitle: '¿?' }))).toBe('ingresso-bilhetagem-F9.png');
  });

  it('writes the movie, the place, the São Paulo time, the seat and type, and a meia\'s proof', () => {
    expect(ticketLines(ticket())).toEqual(['Linha de Fogo', 'Bilhetagem Paulista, Sala 3', 'dom., 29/11 · 19:35', 'Assento F9 · Inteira']);
    expect(ticketLines(ticket({ ticketType: 'MEIA_ESTUDANTE', meia: true, proof: 'CIE válida' })).slice(3))
      .toEqual(['Assento F9 · Meia-entrada estudante', 'Meia-entrada: apresente CIE válida']);
  });

  it('hands the PNG to the share sheet where the browser shares files', async () => {
    const b = browser(() => Promise.resolve());
    expect(await shareTicket(ticket(), png, b.target)).toBe('shared');
    expect(b.saved).toEqual([]);
    const [data] = b.shared;
    expect(data.title).toBe('Ingresso — Linha de Fogo');
    expect(data.text).toContain('Assento F9');
    expect(data.files?.map((f) => [f.name, f.type])).toEqual([['ingresso-linha-de-fogo-F9.png', 'image/png']]);
  });

  it('saves the PNG where the browser cannot share files, or has no share at all', async () => {
    const cannot = browser(() => Promise.resolve(), false);
    expect(await shareTicket(ticket(), png, cannot.target)).toBe('downloaded');
    expect(cannot.shared).toEqual([]);
    expect(cannot.saved).toEqual(['ingresso-linha-de-fogo-F9.png']);
    const none = browser();
    expect(await shareTicket(ticket(), png, none.target)).toBe('downloaded');
    expect(none.saved).toEqual(['ingresso-linha-de-fogo-F9.png']);
  });

  it('leaves it at that when the buyer dismisses the share sheet, and saves when the browser refuses the share', async () => {
    const dismissed = browser(() => Promise.reject(new DOMException('cancelled', 'AbortError')));
    expect(await shareTicket(ticket(), png, dismissed.target)).toBe('cancelled');
    expect(dismissed.saved).toEqual([]);
    const refused = browser(() => Promise.reject(new DOMException('no activation', 'NotAllowedError')));
    expect(await shareTicket(ticket(), png, refused.target)).toBe('downloaded');
    expect(refused.saved).toEqual(['ingresso-linha-de-fogo-F9.png']);
  });
});
