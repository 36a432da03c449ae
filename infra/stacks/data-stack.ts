/** Stateful: every table the topology declares, and the backups that outlive them. */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config.ts';
import type { KeyRing } from '../constructs/encryption-keys.ts';
import { pascalCase } from '../constructs/pascal-case.ts';
import { TableBackup } from '../constructs/table-backup.ts';
import { TopologyTables } from '../constructs/topology-tables.ts';
import type { TableKey, TableSpec } from '../topology/types.ts';
import { statefulRemovalPolicy } from './stateful-removal-policy.ts';

export interface DataStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly tables: Readonly<Record<string, TableSpec>>;
  readonly keys: KeyRing;
}

export class DataStack extends Stack {
  readonly tables: TopologyTables;
  /**
   * One backup vault per table key, encrypted with that key: with AWS Backup's advanced DynamoDB features (a
   * per-region account setting) recovery points take the vault's key, so the token vault's and the audit trail's
   * copies must not land in a vault under the app key (disabling the vault key must revoke re-identification from
   * backups too).
   */
  readonly backups: Readonly<Partial<Record<TableKey, TableBackup>>>;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const removalPolicy = statefulRemovalPolicy(props.config);
    this.tables = new TopologyTables(this, 'Tables', {
      tables: props.tables,
      keyFor: (spec) => props.keys.tableKey(spec.key),
      removalPolicy,
    });
    const tablesByKey = new Map<TableKey, dynamodb.ITable[]>();
    for (const [name, spec] of Object.entries(props.tables)) {
      const table = this.tables.bindings[name]?.table;
      if (table) tablesByKey.set(spec.key, [...(tablesByKey.get(spec.key) ?? []), table]);
    }
    const backups: Partial<Record<TableKey, TableBackup>> = {};
    for (const [key, tables] of tablesByKey) {
      // The app vault keeps the id it had when it was the only one, so existing deployments keep its recovery points.
      backups[key] = new TableBackup(this, key === 'app' ? 'Backup' : `${pascalCase(key)}Backup`, {
        tables,
        auditTables: key === 'audit' ? tables : [],
        auditRetentionYears: props.config.auditRetentionYears,
        vaultKey: props.keys.tableKey(key),
        removalPolicy,
      });
    }
    this.backups = backups;
  }
}
