// Bundles the Node side of the desk with esbuild into dist-electron/:
//   server.js   server mode (ESM, npm packages stay external)
//   main.js     the Electron main process (ESM, npm packages and electron external)
//   preload.cjs the preload (CommonJS, self-contained: a sandboxed preload may only require electron)
// and copies the SQL migrations next to them, where the store looks for them.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist-electron');
const only = process.argv.slice(2);

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning', absWorkingDir: root };
const entries = {
  server: { ...common, entryPoints: ['electron/server.ts'], outfile: join(out, 'server.js'), format: 'esm', packages: 'external' },
  main: { ...common, entryPoints: ['electron/main.ts'], outfile: join(out, 'main.js'), format: 'esm', packages: 'external' },
  preload: { ...common, entryPoints: ['electron/preload.ts'], outfile: join(out, 'preload.cjs'), format: 'cjs', external: ['electron'] },
};

const names = only.length > 0 ? only : Object.keys(entries);
for (const name of names) {
  if (!entries[name]) throw new Error(`unknown entry ${name}; known: ${Object.keys(entries).join(', ')}`);
}
if (only.length === 0) rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await Promise.all(
  names.map((name) => {
    const [entry] = entries[name].entryPoints;
    if (!existsSync(join(root, entry))) throw new Error(`${entry} is missing`);
    return build(entries[name]);
  }),
);
rmSync(join(out, 'migrations'), { recursive: true, force: true });
cpSync(join(root, 'electron/core/store/migrations'), join(out, 'migrations'), { recursive: true });
