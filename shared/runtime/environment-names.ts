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
} as const;
