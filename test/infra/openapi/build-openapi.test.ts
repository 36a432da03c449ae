import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildOpenApi } from '../../../infra/openapi/build-openapi.ts';
import { topology } from '../../../infra/topology/index.ts';

const rootDir = resolve(import.meta.dirname, '../../..');

describe('buildOpenApi', () => {
  let document: Record<string, unknown>;
  beforeAll(async () => {
    document = await buildOpenApi(topology, rootDir);
  });

  it('matches the committed docs/openapi.json (run `npm run openapi` after changing a route or schema)', async () => {
    const committed = JSON.parse(await readFile(resolve(rootDir, 'docs/openapi.json'), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(document)));
  });

  it('documents every route of the topology, with security on every route but the health check', () => {
    const paths = document.paths as Record<string, Record<string, { security: unknown[] }>>;
    for (const spec of Object.values(topology.functions)) {
      for (const route of spec.routes ?? []) {
        const operation = paths[route.path]?.[route.method.toLowerCase()];
        expect(operation, `${route.method} ${route.path}`).toBeDefined();
        expect(operation?.security.length).toBe(route.auth === 'user' ? 1 : 0);
      }
    }
  });

  it("derives request bodies from the handlers' zod schemas", () => {
    const paths = document.paths as Record<
      string,
      Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>
    >;
    const reidentify = paths['/v1/reidentify']?.post?.requestBody?.content['application/json']?.schema;
    expect(reidentify?.required).toEqual(expect.arrayContaining(['text', 'patientScope', 'purpose']));
  });
});
