import { DOWNLOAD_URL_LIFETIME_MS, downloadFile } from './download';

describe('downloadFile', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('clicks a temporary link named after the file, then revokes its object URL', () => {
    vi.useFakeTimers();
    const revoke = vi.fn();
    vi.stubGlobal('URL', Object.assign(class extends URL {}, { createObjectURL: vi.fn(() => 'blob:x/1'), revokeObjectURL: revoke }));
    const clicked: { href: string; download: string; hidden: boolean; inDocument: boolean }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ href: this.href, download: this.download, hidden: this.hidden, inDocument: this.isConnected });
    });

    downloadFile(new Blob(['{}'], { type: 'application/json' }), 'meus-dados-bilhetagem.json');

    expect(clicked).toEqual([{ href: 'blob:x/1', download: 'meus-dados-bilhetagem.json', hidden: true, inDocument: true }]);
    expect(document.querySelector('a[download]')).toBeNull();
    // Revoked once the browser has had time to start saving, not at once.
    expect(revoke).not.toHaveBeenCalled();
    vi.advanceTimersByTime(DOWNLOAD_URL_LIFETIME_MS);
    expect(revoke).toHaveBeenCalledWith('blob:x/1');
  });
});
