// Renders build/icon.svg to build/icon.png (512x512, transparent corners) with the system
// Chromium, so the PNG electron-builder turns into .icns / .ico / Linux icons is reproducible:
//   node build/render-icon.mjs [path-to-chromium]
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const svg = readFileSync(join(here, 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: process.argv[2] ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 512, height: 512 }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><style>html,body{margin:0;background:transparent}svg{display:block}</style>${svg}`);
  await page.screenshot({ path: join(here, 'icon.png'), omitBackground: true, clip: { x: 0, y: 0, width: 512, height: 512 } });
} finally {
  await browser.close();
}
