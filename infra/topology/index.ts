/**
 * The system's wiring, declared once: tables, functions, the routes, event rules and schedules that trigger them,
 * and what each function may touch. The CDK app and the local runtime both iterate this object.
 */
import { AuditRecorded } from '../../shared/audit/audit-entry.ts';
import { patternFor } from '../../shared/events/event-definition.ts';
import { IncidentReported } from '../../shared/policy/incident-report.ts';
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
    panels: {
      description: 'Physician panels: which patient scopes each physician may access',
      partitionKey: { name: 'userId', type: 'S' },
      sortKey: { name: 'patientScope', type: 'S' },
      key: 'app',
    },
    policy: {
      description: 'AI policy registry: approved models, policy versions, attestations, incidents, consents',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      indexes: [
        { name: 'byKind', partitionKey: { name: 'kind', type: 'S' }, sortKey: { name: 'kindSort', type: 'S' } },
      ],
      ttlAttribute: 'expiresAt',
      key: 'app',
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
      tables: { vault: 'read', panels: 'read' },
      capabilities: ['events:publish', 'vault:crypto'],
    },
    panelList: {
      description: "Lists a physician's panel",
      entry: 'functions/panel-list/handler.ts',
      routes: [{ method: 'GET', path: '/v1/panels/{userId}', auth: 'user' }],
      tables: { panels: 'read' },
      capabilities: ['events:publish'],
    },
    panelAdd: {
      description: "Puts a patient on a physician's panel",
      entry: 'functions/panel-add/handler.ts',
      routes: [{ method: 'PUT', path: '/v1/panels/{userId}/patients/{patientScope}', auth: 'user' }],
      tables: { panels: 'readwrite' },
      capabilities: ['events:publish'],
    },
    panelRemove: {
      description: "Takes a patient off a physician's panel",
      entry: 'functions/panel-remove/handler.ts',
      routes: [{ method: 'DELETE', path: '/v1/panels/{userId}/patients/{patientScope}', auth: 'user' }],
      tables: { panels: 'readwrite' },
      capabilities: ['events:publish'],
    },
    aiInvoke: {
      description: 'One policy-checked, de-identified model call through the AI gateway',
      entry: 'functions/ai-invoke/handler.ts',
      routes: [{ method: 'POST', path: '/v1/ai/invocations', auth: 'user' }],
      tables: { vault: 'readwrite', panels: 'read', policy: 'read' },
      capabilities: ['events:publish', 'phi:detect', 'vault:crypto', 'model:invoke'],
      memoryMb: 1024,
    },
    policyModelList: {
      description: 'Lists approved AI tools and models',
      entry: 'functions/policy-model-list/handler.ts',
      routes: [{ method: 'GET', path: '/v1/policy/models', auth: 'user' }],
      tables: { policy: 'read' },
      capabilities: ['events:publish'],
    },
    policyModelPut: {
      description: 'Approves or updates an AI model in the registry',
      entry: 'functions/policy-model-put/handler.ts',
      routes: [{ method: 'PUT', path: '/v1/policy/models/{modelId}', auth: 'user' }],
      tables: { policy: 'readwrite' },
      capabilities: ['events:publish'],
    },
    policyModelRetire: {
      description: "Withdraws a model's approval",
      entry: 'functions/policy-model-retire/handler.ts',
      routes: [{ method: 'POST', path: '/v1/policy/models/{modelId}/retire', auth: 'user' }],
      tables: { policy: 'readwrite' },
      capabilities: ['events:publish'],
    },
    policyVersionGet: {
      description: 'The AI-use policy version to attest to',
      entry: 'functions/policy-version-get/handler.ts',
      routes: [{ method: 'GET', path: '/v1/policy/version', auth: 'user' }],
      tables: { policy: 'read' },
      capabilities: ['events:publish'],
    },
    policyVersionPut: {
      description: 'Publishes a new AI-use policy version',
      entry: 'functions/policy-version-put/handler.ts',
      routes: [{ method: 'PUT', path: '/v1/policy/version', auth: 'user' }],
      tables: { policy: 'readwrite' },
      capabilities: ['events:publish'],
    },
    attestationCreate: {
      description: 'Records a staff attestation to the current policy version',
      entry: 'functions/attestation-create/handler.ts',
      routes: [{ method: 'POST', path: '/v1/attestations', auth: 'user' }],
      tables: { policy: 'readwrite' },
      capabilities: ['events:publish'],
    },
    incidentReport: {
      description: 'Takes an incident report from any staff member',
      entry: 'functions/incident-report/handler.ts',
      routes: [{ method: 'POST', path: '/v1/incidents', auth: 'user' }],
      tables: { policy: 'readwrite' },
      capabilities: ['events:publish'],
    },
    incidentList: {
      description: "The privacy officer's incident queue",
      entry: 'functions/incident-list/handler.ts',
      routes: [{ method: 'GET', path: '/v1/incidents', auth: 'user' }],
      tables: { policy: 'read' },
      capabilities: ['events:publish'],
    },
    incidentTransition: {
      description: 'Moves an incident through investigating to closed',
      entry: 'functions/incident-transition/handler.ts',
      routes: [{ method: 'PATCH', path: '/v1/incidents/{incidentId}', auth: 'user' }],
      tables: { policy: 'readwrite' },
      capabilities: ['events:publish'],
    },
    consentGrant: {
      description: 'Records consent for psychotherapy notes or Part 2 records',
      entry: 'functions/consent-grant/handler.ts',
      routes: [{ method: 'POST', path: '/v1/consents', auth: 'user' }],
      tables: { policy: 'readwrite' },
      capabilities: ['events:publish'],
    },
    consentList: {
      description: "Lists a patient's consents",
      entry: 'functions/consent-list/handler.ts',
      routes: [{ method: 'GET', path: '/v1/consents', auth: 'user' }],
      tables: { policy: 'read' },
      capabilities: ['events:publish'],
    },
    consentRevoke: {
      description: 'Revokes a consent',
      entry: 'functions/consent-revoke/handler.ts',
      routes: [{ method: 'POST', path: '/v1/consents/{patientScope}/{consentId}/revoke', auth: 'user' }],
      tables: { policy: 'readwrite' },
      capabilities: ['events:publish'],
    },
    incidentNotifier: {
      description: 'Tells the privacy officer about each reported incident',
      entry: 'functions/incident-notifier/handler.ts',
      rules: [{ name: 'incident-reported', pattern: patternFor(IncidentReported) }],
      tables: { idempotency: 'readwrite' },
      capabilities: ['alerts:notify'],
    },
    policyReviewReminders: {
      description: 'Daily: emits Policy.ReviewDue for models whose review or BAA needs attention',
      entry: 'functions/policy-review-reminders/handler.ts',
      schedules: [{ name: 'policy-review-reminders', expression: 'cron(0 13 * * ? *)' }],
      tables: { policy: 'read' },
      capabilities: ['events:publish'],
    },
    auditWriter: {
      description: 'Appends each Audit.Recorded event to its hash chain, once per event',
      entry: 'functions/audit-writer/handler.ts',
      rules: [{ name: 'audit-recorded', pattern: patternFor(AuditRecorded) }],
      tables: { audit: 'readwrite', idempotency: 'readwrite' },
      capabilities: ['audit:write'],
    },
    auditQuery: {
      description: 'Audit trail search for the privacy officer',
      entry: 'functions/audit-query/handler.ts',
      routes: [{ method: 'GET', path: '/v1/audit', auth: 'user' }],
      tables: { audit: 'read' },
      capabilities: ['events:publish'],
    },
    auditExport: {
      description: "Exports the previous day's audit records with chain anchors to the object-locked archive",
      entry: 'functions/audit-export/handler.ts',
      schedules: [{ name: 'audit-daily-export', expression: 'cron(15 0 * * ? *)' }],
      tables: { audit: 'read' },
      capabilities: ['audit:archive'],
      timeoutSeconds: 300,
    },
  },
});

export type TableName = keyof typeof topology.tables;
