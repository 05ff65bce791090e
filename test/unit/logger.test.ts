import { describe, expect, it } from 'vitest';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../electron/core/logger';
import { tempDir } from '../support/temp';

describe('the log', () => {
  it('writes one JSON line per event to a 0600 file, with secrets scrubbed wherever they appear', () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'logs', 'desk.log');
      const logger = createLogger({ file, clock: () => Date.UTC(2026, 0, 1), level: 'info' });
      logger.redact('s3cr3t-launch-token');
      logger.debug('too quiet to keep');
      logger.info('connector started', { account: 'acme', accessToken: 'abc', nested: { apiSecret: 'xyz', note: 'url?t=s3cr3t-launch-token' } });
      logger.error('failed', { error: new Error('bad s3cr3t-launch-token') });
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toEqual({
        at: '2026-01-01T00:00:00.000Z',
        level: 'info',
        event: 'connector started',
        account: 'acme',
        accessToken: '[redacted]',
        nested: { apiSecret: '[redacted]', note: 'url?t=[redacted]' },
      });
      expect(JSON.stringify(lines[1])).not.toContain('s3cr3t');
      if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      dir.remove();
    }
  });
});
