/**
 * The Electron secret store: every value is encrypted with Electron's safeStorage (a key held by
 * the OS keychain: Keychain on macOS, DPAPI on Windows, libsecret/KWallet on Linux) and only the
 * ciphertext is written, to one file in the data directory with mode 0600.
 *
 * It never falls back to plaintext. When encryption is unavailable it refuses to store, with an
 * error that says why. On Linux without a keyring Electron reports encryption as "available" with
 * the `basic_text` backend, whose key is a constant compiled into every copy of Chromium; that is
 * obfuscation, not encryption, so it is refused too unless the caller explicitly allows it.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SafeStorage } from 'electron';
import { z } from 'zod';
import { SecretName, type SecretStore } from '../core/secrets';

export type SafeStorageLike = Pick<SafeStorage, 'isAsyncEncryptionAvailable' | 'encryptStringAsync' | 'decryptStringAsync'> & {
  /** Linux only in Electron; absent elsewhere. */
  getSelectedStorageBackend?: SafeStorage['getSelectedStorageBackend'];
};

export interface SafeStorageSecretsOptions {
  /** The ciphertext file, e.g. <userData>/secrets.enc.json. */
  file: string;
  safeStorage: SafeStorageLike;
  platform?: NodeJS.Platform;
  /** Accept Linux's `basic_text` backend (a well-known key). Off unless a person chose it. */
  allowBasicText?: boolean;
}

/** Thrown when a secret cannot be stored safely; the message says what to do. */
export class SecretStorageUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretStorageUnavailableError';
  }
}

const FORMAT = 'social-care-desk.secrets.v1';
const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'is not base64');
const SecretsFile = z.strictObject({
  format: z.literal(FORMAT),
  secrets: z.record(SecretName, Base64),
});
type SecretsFile = z.infer<typeof SecretsFile>;

export class SafeStorageSecretStore implements SecretStore {
  private readonly file: string;
  private readonly safeStorage: SafeStorageLike;
  private readonly platform: NodeJS.Platform;
  private readonly allowBasicText: boolean;
  /** Read-modify-write steps run one at a time, so two quick `set`s cannot lose one another. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: SafeStorageSecretsOptions) {
    this.file = options.file;
    this.safeStorage = options.safeStorage;
    this.platform = options.platform ?? process.platform;
    this.allowBasicText = options.allowBasicText ?? false;
  }

  async get(name: string): Promise<string | null> {
    const key = SecretName.parse(name);
    return this.serially(async () => {
      const contents = await this.read();
      const stored = contents.secrets[key];
      if (stored === undefined) return null;
      let decrypted: { result: string; shouldReEncrypt: boolean };
      try {
        decrypted = await this.safeStorage.decryptStringAsync(Buffer.from(stored, 'base64'));
      } catch {
        throw new SecretStorageUnavailableError(
          `the secret "${key}" cannot be decrypted: the OS keychain key changed or is not reachable. Enter it again in Accounts.`,
        );
      }
      if (decrypted.shouldReEncrypt) {
        // The keychain rotated its key; store the value under the new one while we hold it.
        try {
          contents.secrets[key] = await this.encrypt(decrypted.result);
          await this.write(contents);
        } catch {
          // Keeping the old ciphertext is safe: it still decrypts. Try again next time.
        }
      }
      return decrypted.result;
    });
  }

  async set(name: string, value: string): Promise<void> {
    const key = SecretName.parse(name);
    await this.serially(async () => {
      const ciphertext = await this.encrypt(value);
      const contents = await this.read();
      contents.secrets[key] = ciphertext;
      await this.write(contents);
    });
  }

  async delete(name: string): Promise<void> {
    const key = SecretName.parse(name);
    await this.serially(async () => {
      const contents = await this.read();
      if (!(key in contents.secrets)) return;
      delete contents.secrets[key];
      await this.write(contents);
    });
  }

  async names(): Promise<string[]> {
    return this.serially(async () => Object.keys((await this.read()).secrets).sort());
  }

  private async encrypt(value: string): Promise<string> {
    await this.assertEncryptionAvailable();
    const ciphertext = await this.safeStorage.encryptStringAsync(value);
    // A broken safeStorage that hands the plaintext back must not end up on disk.
    if (ciphertext.length === 0 || (value.length > 0 && ciphertext.equals(Buffer.from(value, 'utf8')))) {
      throw new SecretStorageUnavailableError('safeStorage returned no ciphertext; the secret was not stored.');
    }
    return ciphertext.toString('base64');
  }

  private async assertEncryptionAvailable(): Promise<void> {
    if (!(await this.safeStorage.isAsyncEncryptionAvailable())) {
      throw new SecretStorageUnavailableError(
        'the OS keychain is not available, so account secrets cannot be stored encrypted; nothing was saved. ' +
          'On Linux, install and unlock a keyring (GNOME Keyring or KWallet).',
      );
    }
    if (this.platform === 'linux' && !this.allowBasicText && this.safeStorage.getSelectedStorageBackend?.() === 'basic_text') {
      throw new SecretStorageUnavailableError(
        'no OS keyring was found (Electron fell back to "basic_text", which only obfuscates), so account secrets ' +
          'were not saved. Install and unlock GNOME Keyring or KWallet, or start the app with --password-store=gnome-libsecret.',
      );
    }
  }

  private serially<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(step, step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<SecretsFile> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { format: FORMAT, secrets: {} };
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`the secrets file ${this.file} is not valid JSON`);
    }
    const parsed = SecretsFile.safeParse(json);
    if (!parsed.success) throw new Error(`the secrets file ${this.file} is not a ${FORMAT} file`);
    return parsed.data;
  }

  private async write(contents: SecretsFile): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
    // Temp file + rename: a crash mid-write leaves the previous file whole.
    const temp = `${this.file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(contents, null, 2)}\n`, { mode: 0o600 });
    await chmod(temp, 0o600); // `mode` is ignored when the temp file already existed
    await rename(temp, this.file);
  }
}
