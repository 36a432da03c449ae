/** `npm run openapi`: rewrites docs/openapi.json from the topology and the handlers' schemas. */
import '../local/local-environment.ts';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { topology } from '../topology/index.ts';
import { buildOpenApi } from './build-openapi.ts';

const rootDir = resolve(import.meta.dirname, '../..');
const document = await buildOpenApi(topology, rootDir);
await writeFile(resolve(rootDir, 'docs/openapi.json'), `${JSON.stringify(document, null, 2)}\n`);
process.stdout.write('docs/openapi.json written\n');
