/**
 * Account secrets (API keys, tokens) never go to SQLite or the logs. The desk sees them only
 * through this interface: Electron backs it with the OS keychain (safeStorage), server mode
 * with a file only the desk's user can read.
 */
import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';

export interface SecretStore {
  get(name: string): Promise<string | null>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  names(): Promise<string[]>;
}

export const SecretName = z.string().regex(/^[a-z][a-z0-9.-]{0,79}$/, 'secret names are lower-case words joined by . or -');

const FileContents = z.record(z.string(), z.string());

/**
 * Server mode's secret store: one JSON file with mode 0600, written atomically (temp file +
 * rename) so a crash mid-write leaves the old file whole.
 */
export class FileSecretStore implements SecretStore {
  constructor(private readonly path: string) {}

  async get(name: string): Promise<string | null> {
    return this.read()[SecretName.parse(name)] ?? null;
  }

  async set(name: string, value: string): Promise<void> {
    const all = this.read();
    all[SecretName.parse(name)] = value;
    this.write(all);
  }

  async delete(name: string): Promise<void> {
    const all = this.read();
    delete all[SecretName.parse(name)];
    this.write(all);
  }

  async names(): Promise<string[]> {
    return Object.keys(this.read()).sort();
  }

  private read(): Record<string, string> {
    if (!existsSync(this.path)) return {};
    const parsed = FileContents.safeParse(JSON.parse(readFileSync(this.path, 'utf8')));
    if (!parsed.success) throw new Error(`the secrets file ${this.path} is not a JSON object of strings`);
    return parsed.data;
  }

  private write(all: Record<string, string>): void {
    const temp = `${this.path}.tmp`;
    writeFileSync(temp, JSON.stringify(all), { mode: 0o600 });
    chmodSync(temp, 0o600); // the mode option does not apply to a file that already existed
    renameSync(temp, this.path);
  }
}
