/** Stateful: every table the topology declares, and the backups that outlive them. */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config.ts';
import type { KeyRing } from '../constructs/encryption-keys.ts';
import { TableBackup } from '../constructs/table-backup.ts';
import { TopologyTables } from '../constructs/topology-tables.ts';
import type { TableSpec } from '../topology/types.ts';
import { statefulRemovalPolicy } from './stateful-removal-policy.ts';

export interface DataStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly tables: Readonly<Record<string, TableSpec>>;
  readonly keys: KeyRing;
}

export class DataStack extends Stack {
  readonly tables: TopologyTables;
  readonly backup: TableBackup;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const removalPolicy = statefulRemovalPolicy(props.config);
    this.tables = new TopologyTables(this, 'Tables', {
      tables: props.tables,
      keyFor: (spec) => props.keys.tableKey(spec.key),
      removalPolicy,
    });
    const auditTables = Object.entries(props.tables)
      .filter(([, spec]) => spec.key === 'audit')
      .map(([name]) => this.tables.bindings[name]?.table)
      .filter((table) => table !== undefined);
    this.backup = new TableBackup(this, 'Backup', {
      tables: this.tables.tables,
      auditTables,
      auditRetentionYears: props.config.auditRetentionYears,
      vaultKey: props.keys.app,
      removalPolicy,
    });
  }
}
