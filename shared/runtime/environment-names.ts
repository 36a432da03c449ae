/** Names of the environment variables the composition root reads; CDK's grants set exactly these. */
export const ENV = {
  eventBusName: 'EVENT_BUS_NAME',
  vaultKeyId: 'VAULT_KEY_ID',
  tokenMacKeyId: 'TOKEN_MAC_KEY_ID',
  vaultRetentionDays: 'VAULT_RETENTION_DAYS',
  phiDetectors: 'PHI_DETECTORS',
  auditArchiveBucket: 'AUDIT_ARCHIVE_BUCKET',
  auditRetentionYears: 'AUDIT_RETENTION_YEARS',
  privacyTopicArn: 'PRIVACY_TOPIC_ARN',
  bedrockGuardrailId: 'BEDROCK_GUARDRAIL_ID',
  bedrockGuardrailVersion: 'BEDROCK_GUARDRAIL_VERSION',
  openAiCompatibleBaseUrl: 'OPENAI_COMPATIBLE_BASE_URL',
  offlineModelEnabled: 'OFFLINE_MODEL_ENABLED',
  knowledgeEmbeddings: 'KNOWLEDGE_EMBEDDINGS',
  /** Which ICD-10-CM inference serves coding reviews: `comprehend-medical` (set by the `codes:infer` grant). */
  codeInference: 'CODE_INFERENCE',
  draftRetentionDays: 'DRAFT_RETENTION_DAYS',
  transcriptRetentionDays: 'TRANSCRIPT_RETENTION_DAYS',
  /** JSON list of server-to-server integrations ({ name, principalArn, roles }) on functions behind the IAM API. */
  integrationCallers: 'INTEGRATION_CALLERS',
  /** The encounter WebSocket stage URL (`wss://...`), handed to clients when an encounter opens. */
  encounterSocketUrl: 'ENCOUNTER_SOCKET_URL',
  /** The KMS key that wraps each encounter's transcript data key (encryption context `encounter-transcript`). */
  encounterKeyId: 'ENCOUNTER_KEY_ID',
  /** The Cognito user pool the encounter socket authorizer verifies ID tokens against. */
  socketUserPoolId: 'SOCKET_USER_POOL_ID',
  /** Which transcriber serves audio segments: `transcribe-medical` (set by the `transcribe:stream` grant). */
  transcriber: 'TRANSCRIBER',
} as const;
