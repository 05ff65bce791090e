/** The layering is a rule checked by lint; this proves the rule bites. */
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { resolve } from 'node:path';

const eslint = new ESLint({ cwd: resolve(import.meta.dirname, '..', '..') });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-globals').map((m) => m.message);
}

describe('layering', () => {
  it('keeps electron, React and the DOM out of electron/core and electron/sandbox', async () => {
    expect(await restricted('electron/core/probe.ts', "import { app } from 'electron';\nexport const a = app;\n")).toHaveLength(1);
    expect(await restricted('electron/core/probe.ts', "import { useState } from 'react';\nexport const a = useState;\n")).toHaveLength(1);
    expect(await restricted('electron/sandbox/probe.ts', "import { ipcMain } from 'electron/main';\nexport const a = ipcMain;\n")).toHaveLength(1);
    expect(await restricted('electron/core/probe.ts', 'export const a = window.location;\n')).toHaveLength(1);
    expect(await restricted('electron/core/probe.ts', "import { z } from 'zod';\nexport const a = z;\n")).toEqual([]);
  });

  it('lets the console import the contract and nothing else from electron/', async () => {
    expect(await restricted('renderer/src/probe.ts', "import { commands } from '../../electron/core/contract';\nexport const a = commands;\n")).toEqual([]);
    expect(await restricted('renderer/src/probe.ts', "import { createDesk } from '../../electron/core/desk';\nexport const a = createDesk;\n")).toHaveLength(1);
    expect(await restricted('renderer/src/deep/probe.ts', "import { openStore } from '../../../electron/core/store';\nexport const a = openStore;\n")).toHaveLength(1);
    expect(await restricted('renderer/src/probe.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n")).toHaveLength(1);
  });
});
