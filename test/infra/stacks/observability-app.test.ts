import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../../infra/cdk-app.ts';
import { loadDeploymentConfig } from '../../../infra/config.ts';
import { topology } from '../../../infra/topology/index.ts';
import { resourcesOf, type SynthesizedGateway, synthesizeGateway } from './synthesized-gateway.ts';

// The whole app once: the alarms of every stack (dead-letter queues, audit controls, the observability stack's).
describe('the deployed app’s alarms and dashboard', () => {
  let gateway: SynthesizedGateway;

  beforeAll(() => {
    gateway = synthesizeGateway(loadDeploymentConfig({ deployment: 'dev' }), topology);
  }, 180_000);
  afterAll(() => gateway?.dispose());

  it('gives every alarm in every stack an action and a runbook file that exists', () => {
    const alarms = Object.values(gateway.templates).flatMap((template) =>
      resourcesOf(template, 'AWS::CloudWatch::Alarm'),
    );
    expect(alarms.length).toBeGreaterThan(Object.keys(topology.functions).length);
    for (const [id, alarm] of alarms) {
      expect(alarm.Properties?.AlarmActions, id).toHaveLength(1);
      const runbook = /Runbook: (docs\/runbooks\/[a-z-]+\.md)/.exec(String(alarm.Properties?.AlarmDescription))?.[1];
      expect(runbook, `${id}: ${String(alarm.Properties?.AlarmDescription)}`).toBeDefined();
      expect(existsSync(path.join(PROJECT_ROOT, runbook ?? 'missing')), runbook).toBe(true);
    }
  });

  it('outputs the dashboard name from the observability stack', () => {
    const outputs = gateway.templates.observability.findOutputs('DashboardName');
    expect(Object.values(outputs)[0]?.Value).toEqual({ Ref: expect.stringMatching(/^OperationsDashboard/) });
  });
});
