/**
 * The Electron secret store, with a safeStorage double that XORs bytes: values round-trip, only
 * ciphertext reaches the disk (file mode 0600), and nothing is stored when encryption is missing
 * or is Linux's well-known-key "basic_text" backend.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SafeStorageSecretStore, SecretStorageUnavailableError } from '../../electron/shell/safe-storage-secrets';
import { tempDir } from '../support/temp';
import { FakeSafeStorage } from './electron-double';

const TOKEN = 'xoxp-very-secret-token-1234567890';

describe('SafeStorageSecretStore', () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  let safeStorage: FakeSafeStorage;
  let store: SafeStorageSecretStore;

  beforeEach(() => {
    dir = tempDir('desk-secrets-');
    file = join(dir.path, 'userData', 'secrets.enc.json');
    safeStorage = new FakeSafeStorage();
    store = new SafeStorageSecretStore({ file, safeStorage, platform: 'linux' });
  });
  afterEach(() => dir.remove());

  it('round-trips values and lists names', async () => {
    expect(await store.get('x.access-token')).toBeNull();
    await store.set('x.access-token', TOKEN);
    await store.set('facebook.page-token', 'ÅØ 🔑');
    expect(await store.get('x.access-token')).toBe(TOKEN);
    expect(await store.get('facebook.page-token')).toBe('ÅØ 🔑');
    expect(await store.names()).toEqual(['facebook.page-token', 'x.access-token']);
    await store.delete('x.access-token');
    await store.delete('x.access-token');
    expect(await store.names()).toEqual(['facebook.page-token']);
    // A second store on the same file (the next launch) reads what the first wrote.
    expect(await new SafeStorageSecretStore({ file, safeStorage, platform: 'linux' }).get('facebook.page-token')).toBe('ÅØ 🔑');
  });

  it('writes only ciphertext, to a file only the user can read', async () => {
    await store.set('x.access-token', TOKEN);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(Buffer.from(TOKEN).toString('base64'));
    expect(text).not.toContain('very-secret');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('keeps the file at 0600 even if it was looser before', async () => {
    await store.set('a', '1');
    if (process.platform === 'win32') return;
    const { chmodSync } = await import('node:fs');
    chmodSync(file, 0o644);
    await store.set('b', '2');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses to store when encryption is unavailable, and writes nothing', async () => {
    safeStorage.available = false;
    await expect(store.set('x.access-token', TOKEN)).rejects.toThrow(SecretStorageUnavailableError);
    await expect(store.set('x.access-token', TOKEN)).rejects.toThrow(/OS keychain is not available/);
    expect(existsSync(file)).toBe(false);
  });

  it("refuses Linux's basic_text backend unless explicitly allowed", async () => {
    safeStorage.backend = 'basic_text';
    await expect(store.set('x.access-token', TOKEN)).rejects.toThrow(/basic_text/);
    expect(existsSync(file)).toBe(false);

    const allowed = new SafeStorageSecretStore({ file, safeStorage, platform: 'linux', allowBasicText: true });
    await allowed.set('x.access-token', TOKEN);
    expect(await allowed.get('x.access-token')).toBe(TOKEN);
    // The backend question is Linux's only.
    await new SafeStorageSecretStore({ file, safeStorage, platform: 'darwin' }).set('y', 'z');
  });

  it('never writes what a broken safeStorage hands back unencrypted', async () => {
    safeStorage.encryptStringAsync = async (text: string) => Buffer.from(text, 'utf8');
    await expect(store.set('x.access-token', TOKEN)).rejects.toThrow(SecretStorageUnavailableError);
    expect(existsSync(file)).toBe(false);
  });

  it('says so clearly when a value no longer decrypts', async () => {
    await store.set('x.access-token', TOKEN);
    safeStorage.failDecrypt = true;
    await expect(store.get('x.access-token')).rejects.toThrow(/cannot be decrypted.*Enter it again/);
  });

  it('re-encrypts a value when the keychain rotated its key', async () => {
    await store.set('x.access-token', TOKEN);
    const before = safeStorage.encryptions;
    safeStorage.reEncrypt = true;
    expect(await store.get('x.access-token')).toBe(TOKEN);
    expect(safeStorage.encryptions).toBe(before + 1);
  });

  it('loses nothing when writes overlap', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.set(`k${i}`, `v${i}`)));
    expect(await store.names()).toHaveLength(20);
  });

  it('rejects bad names and a damaged file', async () => {
    await expect(store.set('../etc', 'x')).rejects.toThrow();
    await expect(store.get('')).rejects.toThrow();
    await store.set('a', '1');
    writeFileSync(file, '{"a":"plaintext"}');
    await expect(store.get('a')).rejects.toThrow(/is not a social-care-desk.secrets.v1 file/);
  });
});
