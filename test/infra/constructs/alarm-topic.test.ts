import type { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../../../infra/config.ts';
import { topology } from '../../../infra/topology/index.ts';
import {
  asArray,
  type PolicyStatementJson,
  resourcesOf,
  type SynthesizedGateway,
  synthesizeGateway,
} from '../stacks/synthesized-gateway.ts';

type TemplateJson = {
  Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Outputs?: Record<string, { Value: unknown; Export?: { Name?: unknown } }>;
};

/** A topic of the Events stack as the alarm action names it: `{ Ref }` there, `Fn::ImportValue` elsewhere. */
function topicLogicalId(action: unknown, exportedRefs: ReadonlyMap<string, string>): string | undefined {
  const reference = action as { Ref?: string; 'Fn::ImportValue'?: string };
  if (reference.Ref) return reference.Ref;
  return exportedRefs.get(String(reference['Fn::ImportValue']));
}

describe('the alarm topic', () => {
  let gateway: SynthesizedGateway;
  let events: Template;
  let templates: TemplateJson[];
  let exportedRefs: Map<string, string>;

  beforeAll(() => {
    gateway = synthesizeGateway(loadDeploymentConfig({ deployment: 'dev' }), topology);
    events = gateway.templates.events;
    templates = Object.values(gateway.templates).map((template) => template.toJSON() as TemplateJson);
    exportedRefs = new Map(
      Object.values((events.toJSON() as TemplateJson).Outputs ?? {}).flatMap((output) => {
        const ref = (output.Value as { Ref?: string }).Ref;
        return ref && typeof output.Export?.Name === 'string' ? [[output.Export.Name, ref] as const] : [];
      }),
    );
  }, 120_000);
  afterAll(() => gateway?.dispose());

  const policyOf = (topicId: string): PolicyStatementJson[] => {
    const [, policy] =
      resourcesOf(events, 'AWS::SNS::TopicPolicy').find(([, resource]) =>
        asArray(resource.Properties?.Topics as unknown[]).some((topic) => (topic as { Ref?: string }).Ref === topicId),
      ) ?? [];
    return (policy?.Properties?.PolicyDocument as { Statement: PolicyStatementJson[] } | undefined)?.Statement ?? [];
  };

  const allowsCloudWatchAlarms = (statements: PolicyStatementJson[]) =>
    statements.some((statement) => {
      const principal = (statement as { Principal?: { Service?: unknown } }).Principal;
      const sourceArn = JSON.stringify(statement.Condition?.ArnLike);
      return (
        statement.Effect === 'Allow' &&
        asArray(principal?.Service).includes('cloudwatch.amazonaws.com') &&
        asArray(statement.Action).includes('sns:Publish') &&
        JSON.stringify(statement.Condition?.StringEquals).includes('aws:SourceAccount') &&
        /aws:SourceArn/.test(sourceArn) &&
        /:cloudwatch:.*:alarm:\*/.test(sourceArn)
      );
    });

  it('lets CloudWatch publish every alarm of every stack, for alarms of this account and region only', () => {
    const alarms = templates.flatMap((template) =>
      Object.entries(template.Resources ?? {}).filter(([, resource]) => resource.Type === 'AWS::CloudWatch::Alarm'),
    );
    const actions = alarms.flatMap(([id, alarm]) =>
      asArray(alarm.Properties?.AlarmActions as unknown[]).map((action) => ({ id, action })),
    );
    // Dead letters of every function, the audit-control alarm and the operational alarms at least.
    expect(actions.length).toBeGreaterThan(Object.keys(topology.functions).length);
    for (const { id, action } of actions) {
      const topicId = topicLogicalId(action, exportedRefs);
      expect(topicId, `${id} notifies a topic of the Events stack`).toBeDefined();
      expect(allowsCloudWatchAlarms(policyOf(topicId ?? '')), `${id} -> ${topicId}`).toBe(true);
    }
  });

  it('keeps the privacy-notice topic closed to services: only functions with alerts:notify publish there', () => {
    const [privacyTopicId] =
      resourcesOf(events, 'AWS::SNS::Topic').find(([id]) => id.startsWith('PrivacyNoticesTopic')) ?? [];
    expect(privacyTopicId).toBeDefined();
    const statements = policyOf(privacyTopicId ?? '');
    expect(statements.length).toBeGreaterThan(0);
    expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([]);
  });
});
