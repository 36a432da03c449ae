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
    audit: {
      description: 'Append-only audit trail: one hash chain per day and shard, ordered by sequence number',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'seq', type: 'N' },
      indexes: [
        { name: 'byUser', partitionKey: { name: 'userId', type: 'S' }, sortKey: { name: 'atId', type: 'S' } },
        {
          name: 'byPatientScope',
          partitionKey: { name: 'patientScope', type: 'S' },
          sortKey: { name: 'atId', type: 'S' },
        },
      ],
      ttlAttribute: 'expiresAt',
      key: 'audit',
    },
    vault: {
      description: 'Token vault: per-scope data keys (encrypted) and sealed token -> PHI entries',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      ttlAttribute: 'expiresAt',
      key: 'vault',
    },
  },
  functions: {
    health: {
      description: 'Liveness and the adapters in use',
      entry: 'functions/health/handler.ts',
      routes: [{ method: 'GET', path: '/v1/health', auth: 'none' }],
    },
    phiScan: {
      description: 'The pause test: PHI entities in a text, by offset and type',
      entry: 'functions/phi-scan/handler.ts',
      routes: [{ method: 'POST', path: '/v1/phi/scan', auth: 'user' }],
      capabilities: ['events:publish', 'phi:detect'],
      memoryMb: 1024,
    },
    deidentify: {
      description: 'Replaces PHI with vault tokens deterministic per patient scope',
      entry: 'functions/deidentify/handler.ts',
      routes: [{ method: 'POST', path: '/v1/deidentify', auth: 'user' }],
      tables: { vault: 'readwrite' },
      capabilities: ['events:publish', 'phi:detect', 'vault:crypto'],
      memoryMb: 1024,
    },
    reidentify: {
      description: 'Restores PHI in place of vault tokens for an authorised caller',
      entry: 'functions/reidentify/handler.ts',
      routes: [{ method: 'POST', path: '/v1/reidentify', auth: 'user' }],
      tables: { vault: 'read' },
      capabilities: ['events:publish', 'vault:crypto'],
    },
  },
});

export type TableName = keyof typeof topology.tables;
