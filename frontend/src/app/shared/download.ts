/** How long the object URL of a download is kept: long enough for any browser to start saving it. */
export const DOWNLOAD_URL_LIFETIME_MS = 60_000;

/**
 * Saves a file through a temporary link (the download attribute), as a
 * browser saves any download; the object URL is revoked once the browser
 * has had time to start saving it (revoking it at once cancels the download
 * in some browsers).
 */
export function downloadFile(file: Blob, name: string, doc: Document = document): void {
  const url = URL.createObjectURL(file);
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), DOWNLOAD_URL_LIFETIME_MS);
}
