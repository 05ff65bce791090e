import { describe, expect, it } from 'vitest';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileSecretStore } from '../../electron/core/secrets';
import { tempDir } from '../support/temp';

describe("server mode's secret file", () => {
  it('keeps secrets in a file only the user can read, and lists names without values', async () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'secrets.json');
      writeFileSync(path, '{}', { mode: 0o644 }); // a file left world-readable by someone else is tightened
      const store = new FileSecretStore(path);
      await store.set('x.access-token', 'tok-123');
      await store.set('facebook.page-token', 'EAAB-456');
      expect(await store.get('x.access-token')).toBe('tok-123');
      expect(await store.names()).toEqual(['facebook.page-token', 'x.access-token']);
      await store.delete('x.access-token');
      expect(await store.get('x.access-token')).toBeNull();
      if (process.platform !== 'win32') expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ 'facebook.page-token': 'EAAB-456' });
      await expect(store.set('../../etc/passwd', 'x')).rejects.toThrow(/lower-case words/);
    } finally {
      dir.remove();
    }
  });

  it('refuses a damaged file instead of overwriting it', async () => {
    const dir = tempDir();
    try {
      const path = join(dir.path, 'secrets.json');
      writeFileSync(path, '{"x.token": 42}');
      await expect(new FileSecretStore(path).set('y', 'z')).rejects.toThrow(/not a JSON object of strings/);
      expect(readFileSync(path, 'utf8')).toBe('{"x.token": 42}');
    } finally {
      dir.remove();
    }
  });
});
