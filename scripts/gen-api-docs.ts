import { writeFileSync } from 'node:fs';
import { renderApiDocs } from './api-docs';

writeFileSync(new URL('../docs/api.md', import.meta.url), renderApiDocs());
process.stdout.write('docs/api.md written\n');
