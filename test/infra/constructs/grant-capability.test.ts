import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../../../infra/config.ts';
import { topology } from '../../../infra/topology/index.ts';
import { defineTopology } from '../../../infra/topology/types.ts';
import { type SynthesizedGateway, synthesizeGateway } from '../stacks/synthesized-gateway.ts';

const fixture = defineTopology({
  tables: topology.tables,
  functions: {
    ...topology.functions,
    modelCaller: {
      description: 'calls approved models and notifies the privacy officer',
      area: 'gateway',
      entry: 'functions/health/handler.ts',
      capabilities: ['model:invoke', 'alerts:notify'],
    },
  },
});

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown };

describe('capability grants for model calls and privacy notices', () => {
  let gateway: SynthesizedGateway;
  let statements: Statement[];

  beforeAll(() => {
    const config = loadDeploymentConfig({
      deployment: 'dev',
      deploymentOverrides: {
        approvedModels: {
          'soap-note': 'anthropic.claude-3-5-haiku-20241022-v1:0',
          'record-summary': 'us.anthropic.claude-3-5-sonnet-20241022-v2:0',
        },
      },
    });
    gateway = synthesizeGateway(config, fixture);
    const policies = gateway.templates.service.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Roles: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('ModelCaller') })]) },
    });
    statements = Object.values(policies).flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument.Statement,
    );
  }, 120_000);
  afterAll(() => gateway?.dispose());

  it('lets the function invoke only the configured Bedrock models and their inference profile', () => {
    const invoke = statements.find((statement) => statement.Sid === 'InvokeApprovedModels');
    const resources = JSON.stringify(invoke?.Resource);
    expect(invoke?.Action).toEqual(['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream']);
    expect(resources).toContain('foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0');
    expect(resources).toContain('inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0');
    expect(resources).toContain(':bedrock:*::foundation-model/anthropic.claude-3-5-sonnet-20241022-v2:0');
    expect(resources).not.toMatch(/foundation-model\/\*/);
  });

  it('lets only the function that opens an encounter make transcript keys, and the readers only unwrap them', () => {
    const statementsOf = (rolePrefix: string) =>
      Object.values(
        gateway.templates.service.findResources('AWS::IAM::ManagedPolicy', {
          Properties: { Roles: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp(rolePrefix) })]) },
        }),
      ).flatMap(
        (policy) =>
          (policy as { Properties: { PolicyDocument: { Statement: (Statement & { Condition?: unknown })[] } } })
            .Properties.PolicyDocument.Statement,
      );
    const transcriptKms = (rolePrefix: string) =>
      statementsOf(rolePrefix).filter((statement) => String(statement.Sid).startsWith('TranscriptKey'));
    const onlyTranscripts = { StringEquals: { 'kms:EncryptionContext:purpose': 'encounter-transcript' } };
    expect(transcriptKms('EncounterOpen')).toEqual([
      expect.objectContaining({ Action: 'kms:GenerateDataKey', Condition: onlyTranscripts }),
    ]);
    for (const reader of ['EncounterGet', 'EncounterMessage', 'EncounterSoapRequest']) {
      expect(transcriptKms(reader)).toEqual([
        expect.objectContaining({ Action: 'kms:Decrypt', Condition: onlyTranscripts }),
      ]);
    }
  });

  it('lets the function publish only to the privacy topic, with exact KMS actions on its key', () => {
    const publish = statements.find((statement) => statement.Sid === 'NotifyPrivacyOfficer');
    const kms = statements.find((statement) => statement.Sid === 'EncryptPrivacyNotices');
    expect(publish?.Action).toBe('sns:Publish');
    expect(JSON.stringify(publish?.Resource)).toContain('PrivacyNotices');
    expect([kms?.Action].flat().sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });
});
