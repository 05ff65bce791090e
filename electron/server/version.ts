/** The desk's version, read from package.json one level above both electron/ and dist-electron/. */
import { readFileSync } from 'node:fs';

export function deskVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}
