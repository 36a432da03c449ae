import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type GatewayStacks } from '../../../infra/cdk-app.ts';
import { loadDeploymentConfig } from '../../../infra/config.ts';
import { VAULT_KEY_PURPOSES } from '../../../infra/constructs/grant-capability.ts';
import type { HardenedFunction } from '../../../infra/constructs/hardened-function.ts';
import { topology } from '../../../infra/topology/index.ts';
import { defineTopology } from '../../../infra/topology/types.ts';
import { DynamoDbTokenVault } from '../../../shared/adapters/aws/dynamodb-token-vault.ts';
import { LocalEnvelopeKeys } from '../../../shared/adapters/local/local-envelope-keys.ts';
import { LocalTokenMac } from '../../../shared/adapters/local/local-token-mac.ts';
import type { EnvelopeKeys } from '../../../shared/ports/envelope-keys.ts';
import { TranscriptCipher } from '../../../shared/transcription/transcript-cipher.ts';
import { type LocalTables, startLocalTables } from '../../support/local-tables.ts';
import { cdkJsonContext, type SynthesizedGateway, synthesizeGateway } from '../stacks/synthesized-gateway.ts';

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

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

const APPROVED_MODELS = {
  'soap-note': 'anthropic.claude-3-5-haiku-20241022-v1:0',
  'record-summary': 'us.anthropic.claude-3-5-sonnet-20241022-v2:0',
};

/** The statements of a function's grants policy and its environment, read from the construct without synthesis. */
function grantsOf(fn: HardenedFunction | undefined): { statements: Statement[]; variables: Record<string, unknown> } {
  if (!fn) throw new Error('no such function');
  const stack = Stack.of(fn);
  const { Statement } = stack.resolve(fn.role.policy?.document.toJSON()) as { Statement: Statement[] };
  const { variables } = stack.resolve((fn.function.node.defaultChild as CfnFunction).environment) as {
    variables: Record<string, unknown>;
  };
  return { statements: Statement, variables };
}

describe('capability grants for model calls and privacy notices', () => {
  let gateway: SynthesizedGateway;
  let statements: Statement[];

  beforeAll(() => {
    const config = loadDeploymentConfig({
      deployment: 'dev',
      deploymentOverrides: { approvedModels: APPROVED_MODELS },
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

  it('lets the function use the topic key only through SNS, not for the dead-letter queues it also encrypts', () => {
    const kms = statements.find((statement) => statement.Sid === 'EncryptPrivacyNotices');
    expect(kms?.Condition).toEqual({
      StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['sns.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
    });
  });

  it('applies no guardrail and grants no ApplyGuardrail when the config names none', () => {
    const actions = statements.flatMap((statement) => [statement.Action].flat());
    expect(actions).not.toContain('bedrock:ApplyGuardrail');
    const callers = gateway.templates.service.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: Match.objectLike({ BEDROCK_GUARDRAIL_ID: Match.anyValue() }) } },
    });
    expect(Object.keys(callers)).toEqual([]);
  });

  it('lets vault:crypto use the vault key only under the token-vault encryption context', () => {
    const vaultKeyStatements = Object.values(
      gateway.templates.service.findResources('AWS::IAM::ManagedPolicy', {
        Properties: { Roles: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('^Deidentify') })]) },
      }),
    )
      .flatMap(
        (policy) =>
          (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
            .Statement,
      )
      .filter((statement) => statement.Sid === 'VaultEnvelopeKeys');
    expect(vaultKeyStatements).toEqual([
      expect.objectContaining({
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'token-vault' } },
      }),
    ]);
  });
});

describe('the model:invoke grant with a Bedrock Guardrail configured', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cag-guardrail-'));
  let stacks: GatewayStacks;

  // Built, not synthesized: the grants are read from the constructs (the full synthesis runs above).
  beforeAll(() => {
    ({ stacks } = buildApp({
      config: loadDeploymentConfig({
        deployment: 'dev',
        deploymentOverrides: {
          approvedModels: APPROVED_MODELS,
          bedrockGuardrail: { id: 'gr7x2k9q4m1z', version: '4' },
        },
      }),
      topology: fixture,
      bundle: false,
      outdir,
      context: cdkJsonContext(),
    }));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('lets the model-invoking function apply that guardrail alone, and tells it which id and version to send', () => {
    const { statements, variables } = grantsOf(stacks.service.functions.modelCaller);
    const guardrail = statements.filter((statement) => [statement.Action].flat().includes('bedrock:ApplyGuardrail'));
    expect(guardrail).toEqual([
      expect.objectContaining({
        Action: 'bedrock:ApplyGuardrail',
        Resource: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':bedrock:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':guardrail/gr7x2k9q4m1z',
            ],
          ],
        },
      }),
    ]);
    expect(variables).toMatchObject({ BEDROCK_GUARDRAIL_ID: 'gr7x2k9q4m1z', BEDROCK_GUARDRAIL_VERSION: '4' });
  });

  it('gives neither the grant nor the variables to a function that invokes no model', () => {
    const { statements, variables } = grantsOf(stacks.service.functions.auditWriter);
    expect(statements.flatMap((statement) => [statement.Action].flat())).not.toContain('bedrock:ApplyGuardrail');
    expect(variables).not.toHaveProperty('BEDROCK_GUARDRAIL_ID');
    expect(variables).not.toHaveProperty('BEDROCK_GUARDRAIL_VERSION');
  });
});

describe('the vault key grants match the encryption contexts the code sends', () => {
  let tables: LocalTables;
  beforeAll(async () => {
    tables = await startLocalTables();
  });
  afterAll(async () => tables?.close());

  /** Local keys that record the `purpose` of every context they are asked to use. */
  const recordingKeys = (purposes: string[]): EnvelopeKeys => {
    const keys = new LocalEnvelopeKeys(Buffer.alloc(32, 3));
    return {
      name: 'RecordingKeys',
      generateDataKey: (context) => {
        purposes.push(String(context.purpose));
        return keys.generateDataKey(context);
      },
      decryptDataKey: (encrypted, context) => {
        purposes.push(String(context.purpose));
        return keys.decryptDataKey(encrypted, context);
      },
    };
  };

  it('the token vault generates and unwraps its data keys under the vault:crypto purpose only', async () => {
    const purposes: string[] = [];
    const vault = new DynamoDbTokenVault({
      client: tables.client,
      tableName: 'vault',
      keys: recordingKeys(purposes),
      mac: new LocalTokenMac(Buffer.alloc(32, 5)),
      clock: { now: () => new Date('2026-06-01T12:00:00Z') },
      retentionSeconds: 86_400,
    });
    const [token = ''] = await vault.tokenize('scope-grantctx1', [{ type: 'NAME', value: 'Maria Lopez' }]);
    await vault.resolve('scope-grantctx1', [token]);
    expect(purposes.length).toBeGreaterThan(0);
    expect(new Set(purposes)).toEqual(new Set([VAULT_KEY_PURPOSES.tokenVault]));
  });

  it('the transcript cipher seals and opens its keys under the transcript:* purpose only', async () => {
    const purposes: string[] = [];
    const keys = recordingKeys(purposes);
    const { encryptedKey } = await TranscriptCipher.create(keys, 'enc-1');
    await TranscriptCipher.forEncounter(keys, 'enc-1', encryptedKey);
    expect(purposes).toEqual([VAULT_KEY_PURPOSES.transcript, VAULT_KEY_PURPOSES.transcript]);
  });
});
