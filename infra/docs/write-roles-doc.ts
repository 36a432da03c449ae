/** `npm run docs:roles`: rewrites docs/roles.md from the permission table. */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { renderRolesDoc } from './roles-doc.ts';

await writeFile(resolve(import.meta.dirname, '../../docs/roles.md'), renderRolesDoc());
process.stdout.write('docs/roles.md written\n');
