import { existsSync } from 'node:fs';
import path from 'node:path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../infra/cdk-app.ts';
import { loadDeploymentConfig } from '../../../infra/config.ts';
import { ObservabilityStack } from '../../../infra/stacks/observability-stack.ts';
import { topology } from '../../../infra/topology/index.ts';
import { METRIC_NAMES } from '../../../shared/observability/metric-catalog.ts';
import { deploymentShapeOf } from '../../../shared/operations/deployment-shape.ts';
import { DEPLOYMENT_ALARMS, RUNBOOKS } from '../../../shared/operations/runbooks.ts';

type Widget = { type: string; properties: { title?: string; markdown?: string; metrics?: unknown[] } };

/**
 * The stack alone, against stand-ins for the other stacks' resources (by name, as imports), with the three cdk-nag
 * packs: fast, and independent of the rest of the app. The whole app is synthesized in test/infra/cdk-app.test.ts.
 */
function synthesize(overrides: Record<string, unknown> = {}) {
  const config = loadDeploymentConfig({
    deployment: 'dev',
    deploymentOverrides: { approvedModels: { 'soap-note': 'anthropic.claude-3-5-sonnet-20241022-v2:0' }, ...overrides },
  });
  const app = new App();
  Validations.of(app).addPlugins(new HIPAASecurityChecks(app), new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  const others = new Stack(app, 'Others');
  const names = Object.keys(topology.functions);
  const stack = new ObservabilityStack(app, 'Observability', {
    config,
    topology,
    functions: Object.fromEntries(
      names.map((name) => [name, lambda.Function.fromFunctionName(others, `Fn${name}`, `stand-in-${name}`)]),
    ),
    deadLetterQueues: names.map((name) => ({
      source: `${name}/DeadLetters`,
      queue: sqs.Queue.fromQueueArn(others, `Dlq${name}`, `arn:aws:sqs:us-east-1:111122223333:dlq-${name}`),
    })),
    tables: Object.fromEntries(
      Object.keys(topology.tables).map((name) => [
        name,
        dynamodb.Table.fromTableName(others, `T${name}`, `table-${name}`),
      ]),
    ),
    alarmTopic: sns.Topic.fromTopicArn(others, 'Topic', 'arn:aws:sns:us-east-1:111122223333:alarms'),
    trailLogGroup: logs.LogGroup.fromLogGroupName(others, 'Trail', 'trail-log-group'),
  });
  // Synthesis runs the packs; an error-level finding throws.
  app.synth();
  return { stack, template: Template.fromStack(stack), config };
}

/** The body as text: the region (a token) sits inside string literals, so a placeholder keeps it valid JSON. */
function dashboardBody(body: unknown): string {
  if (typeof body === 'string') return body;
  const [, parts] = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
  return parts.map((part) => (typeof part === 'string' ? part : 'TOKEN')).join('');
}

describe('ObservabilityStack', () => {
  let template: Template;
  let widgets: Widget[];
  let titles: string[];

  beforeAll(() => {
    ({ template } = synthesize());
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0] as {
      Properties: { DashboardBody: unknown };
    };
    const body = dashboard.Properties.DashboardBody;
    widgets = (JSON.parse(dashboardBody(body)) as { widgets: Widget[] }).widgets;
    titles = widgets.map((widget) => widget.properties.title ?? '');
  }, 120_000);

  it('draws a widget for every route of the topology, titled with its route key', () => {
    for (const [name, spec] of Object.entries(topology.functions)) {
      for (const route of spec.routes ?? []) {
        const key = `${route.method} ${route.path}`;
        const widget = widgets.find((candidate) => candidate.properties.title === `${key} (${name})`);
        expect(widget, key).toBeDefined();
        expect(JSON.stringify(widget?.properties.metrics)).toContain(`"route","${key}"`);
      }
    }
  });

  it('draws a Lambda widget for every function, and an invocation widget for every function without a route', () => {
    for (const [name, spec] of Object.entries(topology.functions)) {
      expect(titles, name).toContain(`Lambda ${name}`);
      if ((spec.routes?.length ?? 0) === 0) expect(titles, name).toContain(`${name} (events, schedules, sockets)`);
    }
  });

  it('has the overview first and a section per capability, and graphs every catalog metric', () => {
    const headings = widgets
      .filter((widget) => widget.type === 'text')
      .map((widget) => widget.properties.markdown ?? '');
    expect(headings.map((markdown) => markdown.split('\n')[0])).toEqual([
      '# Overview',
      '## Routes and functions',
      '## De-identification',
      '## AI gateway',
      '## Drafts and review',
      '## Transcription',
      '## Events and audit',
      '## Infrastructure',
    ]);
    const body = JSON.stringify(widgets);
    for (const name of METRIC_NAMES) expect(body, name).toContain(`"${name}"`);
    expect(titles).toContain('Estimated spend today (USD, list prices)');
  });

  it('gives every alarm an action and a runbook that exists in docs/runbooks', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as {
      Properties: { AlarmDescription: string; AlarmActions?: unknown[] };
    }[];
    const routes = Object.values(topology.functions).reduce((sum, spec) => sum + (spec.routes?.length ?? 0), 0);
    expect(alarms).toHaveLength(routes + DEPLOYMENT_ALARMS.length);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions ?? []).toHaveLength(1);
      const runbook = /Runbook: (docs\/runbooks\/[a-z-]+\.md)/.exec(alarm.Properties.AlarmDescription)?.[1];
      expect(runbook, alarm.Properties.AlarmDescription).toBeDefined();
      expect(existsSync(path.join(PROJECT_ROOT, runbook ?? 'missing'))).toBe(true);
    }
  });

  it('has a runbook page for every alarm kind, each with first checks and PHI containment', async () => {
    const { readFile } = await import('node:fs/promises');
    for (const name of Object.keys(RUNBOOKS)) {
      const text = await readFile(path.join(PROJECT_ROOT, 'docs/runbooks', `${name}.md`), 'utf8');
      expect(text, name).toContain('**First checks.**');
      expect(text, name).toMatch(/PHI/);
    }
  });

  it('sets the estimated-spend alarm at the monthly budget divided by 30, over one day', () => {
    const { template: budgeted } = synthesize({ operations: { monthlyBudgetUsd: 900 } });
    const spend = Object.values(budgeted.findResources('AWS::CloudWatch::Alarm')).find((alarm) =>
      String((alarm as { Properties: { AlarmDescription: string } }).Properties.AlarmDescription).includes(
        'estimated-spend.md',
      ),
    ) as { Properties: { Threshold: number; Metrics: { Expression?: string; ReturnData?: boolean }[] } };
    expect(spend.Properties.Threshold).toBe(30);
    const expression = spend.Properties.Metrics.find((metric) => metric.ReturnData !== false)?.Expression ?? '';
    expect(expression).toContain('FILL(models, 0)');
    // Transcription is priced by the seconds Transcribe bills (15 s minimum per segment's stream), not audio seconds.
    expect(JSON.stringify(spend.Properties.Metrics)).toContain('TranscriptionBilledSeconds');
    expect(JSON.stringify(spend.Properties.Metrics)).not.toContain('TranscribedAudioSeconds');
  }, 120_000);

  it('alarms on transcription failures, with its runbook', () => {
    const failures = Object.values(template.findResources('AWS::CloudWatch::Alarm')).find((alarm) =>
      String((alarm as { Properties: { AlarmDescription: string } }).Properties.AlarmDescription).includes(
        'transcription-failures.md',
      ),
    ) as { Properties: { MetricName?: string; Threshold: number; EvaluationPeriods: number } } | undefined;
    expect(failures?.Properties).toMatchObject({
      MetricName: 'TranscriptionFailures',
      Threshold: 5,
      EvaluationPeriods: 2,
    });
  });

  it('outputs the dashboard name', () => {
    expect(Object.keys(template.findOutputs('DashboardName'))).toHaveLength(1);
  });

  it('counts in the cost model exactly the alarms it creates', () => {
    const shape = deploymentShapeOf(topology, { interfaceEndpoints: 11, privateApi: false });
    const functions = Object.values(topology.functions);
    const deadLetterAlarms =
      functions.length +
      functions.reduce((sum, spec) => sum + (spec.rules?.length ?? 0) + (spec.schedules?.length ?? 0), 0);
    const created = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).length;
    // Plus one dead-letter alarm per function, rule and schedule, and the audit-control alarm of the service stack.
    expect(shape.alarms).toBe(created + deadLetterAlarms + 1);
  });
});
