/** GET /v1/health: unauthenticated liveness with the adapters in use per port and the version. */
import { httpHandler } from '../../shared/api/http-handler.ts';

export const handler = httpHandler({
  action: 'system.health',
  auth: 'none',
  run: async ({ ports }) => ({
    status: 200,
    body: { status: 'ok', version: ports.version, runtime: ports.runtime, adapters: ports.adapters },
  }),
});
