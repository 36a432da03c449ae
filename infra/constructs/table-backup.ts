/** AWS Backup for the tables: daily recovery points, and long-term monthly ones for the audit trail. */
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface TableBackupProps {
  readonly tables: readonly dynamodb.ITable[];
  /** Tables holding audit records: their monthly recovery points are kept for `auditRetentionYears`. */
  readonly auditTables: readonly dynamodb.ITable[];
  readonly auditRetentionYears: number;
  readonly vaultKey: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

/** PITR covers the last 35 days; backups add copies that survive a deleted table or a corrupted PITR window. */
export class TableBackup extends Construct {
  readonly vault: backup.BackupVault;
  readonly plan: backup.BackupPlan;

  constructor(scope: Construct, id: string, props: TableBackupProps) {
    super(scope, id);
    this.vault = new backup.BackupVault(this, 'Vault', {
      encryptionKey: props.vaultKey,
      removalPolicy: props.removalPolicy,
    });
    this.plan = new backup.BackupPlan(this, 'Plan', { backupVault: this.vault });
    this.plan.addRule(
      new backup.BackupPlanRule({
        ruleName: 'Daily',
        scheduleExpression: events.Schedule.cron({ hour: '5', minute: '0' }),
        deleteAfter: Duration.days(35),
      }),
    );
    if (props.tables.length > 0) {
      const selection = this.plan.addSelection('Tables', {
        resources: props.tables.map((table) => backup.BackupResource.fromDynamoDbTable(table)),
      });
      acknowledgeBackupServiceRole(selection);
    }

    if (props.auditTables.length > 0) {
      const auditPlan = new backup.BackupPlan(this, 'AuditPlan', { backupVault: this.vault });
      auditPlan.addRule(
        new backup.BackupPlanRule({
          ruleName: 'MonthlyAudit',
          scheduleExpression: events.Schedule.cron({ day: '1', hour: '6', minute: '0' }),
          deleteAfter: Duration.days(366 * props.auditRetentionYears),
        }),
      );
      const selection = auditPlan.addSelection('AuditTables', {
        resources: props.auditTables.map((table) => backup.BackupResource.fromDynamoDbTable(table)),
      });
      acknowledgeBackupServiceRole(selection);
    }
  }
}

function acknowledgeBackupServiceRole(selection: backup.BackupSelection): void {
  Validations.of(selection.node.findChild('Role')).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
    reason:
      'AWS Backup assumes this role to snapshot the selected tables; AWS maintains the service policy as Backup adds ' +
      'resource types, and the role trusts only backup.amazonaws.com.',
  });
}
