import { App, Validations } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { Template as TemplateOf } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../../../infra/config.ts';
import { DataStack } from '../../../infra/stacks/data-stack.ts';
import { SecurityStack } from '../../../infra/stacks/security-stack.ts';
import { topology } from '../../../infra/topology/index.ts';
import { asArray, resourcesOf } from './synthesized-gateway.ts';

const SYNTH_TIMEOUT = 120_000;

type Reference = { 'Fn::GetAtt'?: [string, string]; Ref?: string };
type BackupRule = { RuleName: string; TargetBackupVault: Reference };

function rulesOf(plan: { Properties?: Record<string, unknown> } | undefined): BackupRule[] {
  return (plan?.Properties?.BackupPlan as { BackupPlanRule?: BackupRule[] } | undefined)?.BackupPlanRule ?? [];
}

/** The Data stack with the real Security stack (its keys) and the three cdk-nag packs. */
function synthesizeData(): Template {
  const config = loadDeploymentConfig({
    deployment: 'prod',
    deploymentOverrides: { alarmEmail: 'a@practice.example' },
  });
  const app = new App();
  Validations.of(app).addPlugins(new HIPAASecurityChecks(app), new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  const security = new SecurityStack(app, 'Security', { config });
  const data = new DataStack(app, 'Data', { config, tables: topology.tables, keys: security.keys });
  app.synth();
  return TemplateOf.fromStack(data);
}

describe('DataStack', () => {
  let template: Template;

  beforeAll(() => {
    template = synthesizeData();
  }, SYNTH_TIMEOUT);

  it('backs each table up into a vault encrypted with the table’s own key (vault and audit keys stay separate)', () => {
    const tables = Object.fromEntries(resourcesOf(template, 'AWS::DynamoDB::Table'));
    const vaults = Object.fromEntries(resourcesOf(template, 'AWS::Backup::BackupVault'));
    const plans = Object.fromEntries(resourcesOf(template, 'AWS::Backup::BackupPlan'));
    const keyOf = (value: unknown) => JSON.stringify(value);
    const selectedTables = new Set<string>();

    const selections = resourcesOf(template, 'AWS::Backup::BackupSelection');
    expect(selections.length).toBeGreaterThan(0);
    for (const [selectionId, selection] of selections) {
      const planId = (selection.Properties?.BackupPlanId as Reference | undefined)?.['Fn::GetAtt']?.[0];
      const vaultIds = rulesOf(plans[String(planId)]).map((rule) => rule.TargetBackupVault['Fn::GetAtt']?.[0]);
      expect(vaultIds.length, selectionId).toBeGreaterThan(0);
      const resources = asArray(
        (selection.Properties?.BackupSelection as { Resources?: Reference[] } | undefined)?.Resources,
      );
      for (const resource of resources) {
        const tableId = String(resource['Fn::GetAtt']?.[0]);
        selectedTables.add(tableId);
        const tableKey = (tables[tableId]?.Properties?.SSESpecification as { KMSMasterKeyId?: unknown } | undefined)
          ?.KMSMasterKeyId;
        expect(tableKey, tableId).toBeDefined();
        for (const vaultId of vaultIds) {
          expect(keyOf(vaults[String(vaultId)]?.Properties?.EncryptionKeyArn), `${selectionId} -> ${tableId}`).toBe(
            keyOf(tableKey),
          );
        }
      }
    }
    expect([...selectedTables].sort()).toEqual(Object.keys(tables).sort());
  });

  it('keeps the audit tables’ monthly recovery points in the audit-keyed vault for the audit retention', () => {
    const auditRules = resourcesOf(template, 'AWS::Backup::BackupPlan')
      .flatMap(([, plan]) => rulesOf(plan))
      .filter((rule) => rule.RuleName === 'MonthlyAudit');
    const vaults = Object.fromEntries(resourcesOf(template, 'AWS::Backup::BackupVault'));

    expect(auditRules).toHaveLength(1);
    const vaultId = String(auditRules[0]?.TargetBackupVault['Fn::GetAtt']?.[0]);
    expect(JSON.stringify(vaults[vaultId]?.Properties?.EncryptionKeyArn)).toContain('KeysAuditKey');
  });
});
