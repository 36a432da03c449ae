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
    audioStreamer: {
      description: 'streams one segment of encounter audio to Transcribe Medical',
      area: 'gateway',
      entry: 'functions/health/handler.ts',
      capabilities: ['transcribe:stream'],
    },
  },
});

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown };

describe('the transcribe:stream capability grant', () => {
  let gateway: SynthesizedGateway;
  let policies: Record<string, { Properties: { PolicyDocument: { Statement: Statement[] } } }>;

  beforeAll(() => {
    gateway = synthesizeGateway(loadDeploymentConfig({ deployment: 'dev' }), fixture);
    policies = gateway.templates.service.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Roles: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('AudioStreamer') })]) },
    }) as typeof policies;
  }, 180_000);
  afterAll(() => gateway?.dispose());

  it('allows StartMedicalStreamTranscription alone, in its own policy, on "*" because streams have no resource type', () => {
    const statements = Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const transcribe = statements.filter((statement) =>
      [statement.Action].flat().some((action) => action.startsWith('transcribe')),
    );
    expect(transcribe).toEqual([
      expect.objectContaining({
        Sid: 'StreamMedicalTranscription',
        Action: 'transcribe:StartMedicalStreamTranscription',
        Resource: '*',
      }),
    ]);
    const holding = Object.values(policies).find((policy) =>
      policy.Properties.PolicyDocument.Statement.some((statement) => statement.Sid === 'StreamMedicalTranscription'),
    );
    expect(holding?.Properties.PolicyDocument.Statement).toHaveLength(1);
  });

  it('tells the composition root to use Transcribe Medical', () => {
    const functions = gateway.templates.service.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: Match.objectLike({ TRANSCRIBER: 'transcribe-medical' }) } },
    });
    expect(Object.keys(functions).some((id) => id.startsWith('AudioStreamer'))).toBe(true);
  });
});
