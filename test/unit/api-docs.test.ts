import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { commandNames, eventNames } from '../../electron/core/contract';
import { renderApiDocs } from '../../scripts/api-docs';

describe('docs/api.md', () => {
  it('is what the contract says today (run `npm run docs:api` after changing the contract)', () => {
    const onDisk = readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderApiDocs());
    for (const name of [...commandNames, ...eventNames]) expect(onDisk).toContain(`### \`${name}\``);
  });
});
