/**
 * Builds the OpenAPI 3.1 document of the API from the topology's routes and the zod schemas each handler
 * declares, so the published contract is generated from the code that enforces it.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { HttpContract } from '../../shared/api/http-handler.ts';
import { PERMISSIONS } from '../../shared/identity/permissions.ts';
import { SERVICE_VERSION } from '../../shared/runtime/version.ts';
import type { Topology } from '../topology/types.ts';

type JsonObject = Record<string, unknown>;

const ERROR_ENVELOPE: JsonObject = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable machine-readable code, e.g. VALIDATION_FAILED' },
        message: { type: 'string', description: 'Human-readable; never echoes the request' },
        correlationId: { type: 'string' },
        issues: {
          type: 'array',
          items: { type: 'object', properties: { path: { type: 'string' }, code: { type: 'string' } } },
        },
      },
    },
  },
};

const ERROR_RESPONSES: Record<string, string> = {
  '400': 'Invalid JSON or a request that does not satisfy the schema (INVALID_JSON, VALIDATION_FAILED)',
  '401': 'Missing, invalid or expired bearer token (UNAUTHENTICATED)',
  '403': 'The caller is not permitted (FORBIDDEN_ROLE, or a policy refusal code)',
  '413': 'The body exceeds the route limit (PAYLOAD_TOO_LARGE)',
  '415': 'The body is not application/json (UNSUPPORTED_MEDIA_TYPE)',
  '503': 'Failed closed: a dependency (detector, vault, audit) could not complete the request safely',
};

function jsonSchema(schema: z.ZodType): JsonObject {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  return rest;
}

function parameters(location: 'path' | 'query', schema: z.ZodType | undefined): JsonObject[] {
  if (!schema) return [];
  const object = jsonSchema(schema) as { properties?: Record<string, JsonObject>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (object.required ?? []).includes(name),
    schema: property,
  }));
}

export async function buildOpenApi(topology: Topology, rootDir: string): Promise<JsonObject> {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const [name, spec] of Object.entries(topology.functions)) {
    if (!spec.routes?.length) continue;
    const module = (await import(pathToFileURL(resolve(rootDir, spec.entry)).href)) as {
      handler?: { contract?: HttpContract };
    };
    const contract = module.handler?.contract;
    if (!contract) throw new Error(`Function ${name} serves routes but its handler is not an httpHandler`);
    for (const route of spec.routes) {
      const responses: Record<string, JsonObject> = {
        '200': { description: 'Success', content: { 'application/json': { schema: { type: 'object' } } } },
      };
      for (const [status, description] of Object.entries(ERROR_RESPONSES)) {
        if (route.auth === 'none' && status !== '400') continue;
        responses[status] = {
          description,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        };
      }
      const permission = PERMISSIONS[contract.action];
      const roles = permission.roles === 'public' ? 'anyone' : permission.roles.join(', ');
      const operations = paths[route.path] ?? {};
      paths[route.path] = operations;
      operations[route.method.toLowerCase()] = {
        operationId: spec.routes.length > 1 ? `${name}${route.method}` : name,
        summary: spec.description,
        description: `Action \`${contract.action}\`. Roles: ${roles}. ${permission.why}`,
        ...(route.auth === 'user' ? { security: [{ cognito: [] }] } : { security: [] }),
        parameters: [...parameters('path', contract.path), ...parameters('query', contract.query)],
        ...(contract.body
          ? {
              requestBody: {
                required: true,
                description: `At most ${contract.maxBodyBytes} bytes.`,
                content: { 'application/json': { schema: jsonSchema(contract.body) } },
              },
            }
          : {}),
        responses,
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'clinical-ai-gateway',
      version: SERVICE_VERSION,
      description:
        'HIPAA-minded AI gateway for a medical practice. Every call except /v1/health needs a Cognito ID token ' +
        '(locally: `npx cag dev-token`). Errors share one envelope with a stable code.',
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'local runtime (npm start)' }],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      schemas: { Error: ERROR_ENVELOPE },
      securitySchemes: {
        cognito: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'Cognito ID token; its cognito:groups claim carries the staff role',
        },
      },
    },
  };
}
