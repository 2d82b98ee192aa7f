// The System page's "Download database backup" (issue 17 item 7): POST /api/system/backup and saving the answer under
// the file name the server gives, with fetch, the object URL and the link click scripted.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { downloadBackup } from '../src/pages/System.jsx';

afterEach(() => { vi.unstubAllGlobals(); vi.restoreAllMocks(); });

describe('System page backup download', () => {
  it('posts to /api/system/backup and saves the answer under the server\'s file name', async () => {
    const clicked = [];
    const blob = new Blob(['SQLite format 3\0']);
    vi.stubGlobal('fetch', vi.fn(async (url, init) => ({
      ok: true, status: 200, url, init,
      headers: { get: (h) => (h.toLowerCase() === 'content-disposition' ? 'attachment; filename=lightnvr-backup-20261205-081500.db' : null) },
      blob: async () => blob,
    })));
    URL.createObjectURL = vi.fn(() => 'blob:backup');
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function () { clicked.push(this.download); });
    await downloadBackup();
    expect(fetch).toHaveBeenCalledWith('/api/system/backup', { method: 'POST', credentials: 'same-origin' });
    expect(URL.createObjectURL).toHaveBeenCalledWith(blob);
    expect(clicked).toEqual(['lightnvr-backup-20261205-081500.db']);
    click.mockRestore();
  });

  it('shows the server\'s error when the backup fails', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => ({ ok: false, status: 500, json: async () => ({ error: 'Backup failed: disk full' }) })));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click');
    await downloadBackup();
    expect(click).not.toHaveBeenCalled();
    click.mockRestore();
  });
});
