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
    codeInferrer: {
      description: 'infers ICD-10-CM codes for coding reviews',
      area: 'gateway',
      entry: 'functions/health/handler.ts',
      capabilities: ['codes:infer'],
    },
  },
});

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown };

describe('the codes:infer capability grant', () => {
  let gateway: SynthesizedGateway;
  let policies: Record<string, { Properties: { PolicyDocument: { Statement: Statement[] } } }>;

  beforeAll(() => {
    gateway = synthesizeGateway(loadDeploymentConfig({ deployment: 'dev' }), fixture);
    policies = gateway.templates.service.findResources('AWS::IAM::ManagedPolicy', {
      Properties: { Roles: Match.arrayWith([Match.objectLike({ Ref: Match.stringLikeRegexp('CodeInferrer') })]) },
    }) as typeof policies;
  }, 180_000);
  afterAll(() => gateway?.dispose());

  it('allows InferICD10CM alone, in its own policy, on "*" because the API has no resource type', () => {
    const statements = Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    const infer = statements.filter((statement) => [statement.Action].flat().some((a) => a.startsWith('comprehend')));
    expect(infer).toEqual([
      expect.objectContaining({ Sid: 'InferIcd10Cm', Action: 'comprehendmedical:InferICD10CM', Resource: '*' }),
    ]);
    const holding = Object.values(policies).find((policy) =>
      policy.Properties.PolicyDocument.Statement.some((statement) => statement.Sid === 'InferIcd10Cm'),
    );
    expect(holding?.Properties.PolicyDocument.Statement).toHaveLength(1);
  });

  it('tells the composition root to use Comprehend Medical', () => {
    const functions = gateway.templates.service.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: Match.objectLike({ CODE_INFERENCE: 'comprehend-medical' }) } },
    });
    expect(Object.keys(functions).some((id) => id.startsWith('CodeInferrer'))).toBe(true);
  });
});
