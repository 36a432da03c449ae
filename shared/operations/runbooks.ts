/**
 * The operational alarms and the runbook each one links to (`docs/runbooks/<name>.md`): the CDK alarms, the cost
 * model's alarm count and the runbook test all read this list.
 */

export const RUNBOOKS = {
  'server-error-rate': 'Server errors above the configured share of invocations',
  'route-latency': 'p95 latency of one API route above its threshold',
  'dead-letter-queue': 'A message reached a dead-letter queue',
  'audit-lag': 'Audit records written late, or not at all',
  'fail-closed-spike': 'Requests refused because a safeguard (detector, vault, audit) was unavailable',
  'quarantined-output': 'A model reply was withheld because it held an identifier',
  'bedrock-throttling': 'Amazon Bedrock throttled model calls',
  'transcription-failures': 'Encounter segments failing transcription (throttled, rejected, timed out)',
  'estimated-spend': "The day's estimated spend exceeds the monthly budget's daily share",
  'cloudtrail-delivery': 'CloudTrail stopped delivering events to its log group',
  'audit-control-change': 'A change to the audit controls (trail, keys, archive lock)',
} as const;

export type RunbookName = keyof typeof RUNBOOKS;

/** Alarms created once per deployment by the observability stack (per-route latency alarms come on top). */
export const DEPLOYMENT_ALARMS: readonly RunbookName[] = [
  'server-error-rate',
  'audit-lag',
  'fail-closed-spike',
  'quarantined-output',
  'bedrock-throttling',
  'transcription-failures',
  'estimated-spend',
  'cloudtrail-delivery',
];

export function runbookPath(name: RunbookName): string {
  return `docs/runbooks/${name}.md`;
}

/** The sentence every alarm description ends with; the tests find the runbook through it. */
export function runbookReference(name: RunbookName): string {
  return `Runbook: ${runbookPath(name)}`;
}
