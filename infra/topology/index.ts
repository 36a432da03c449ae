/**
 * The system's wiring, declared once: tables, functions, the routes, event rules and schedules that trigger them,
 * and what each function may touch. The CDK app and the local runtime both iterate this object.
 */
import { defineTopology } from './types.ts';

export const topology = defineTopology({
  tables: {
    idempotency: {
      description: 'Powertools idempotency records for event consumers and retried POSTs',
      partitionKey: { name: 'id', type: 'S' },
      ttlAttribute: 'expiration',
      key: 'app',
    },
  },
  functions: {
    health: {
      description: 'Liveness and the adapters in use',
      entry: 'functions/health/handler.ts',
      routes: [{ method: 'GET', path: '/v1/health', auth: 'none' }],
    },
  },
});

export type TableName = keyof typeof topology.tables;
