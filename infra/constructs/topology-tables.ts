/** Realizes every table the topology declares as an encrypted, recoverable, deletion-protected DynamoDB table. */
import type { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { KeyAttribute, TableSpec } from '../topology/types.ts';
import { pascalCase } from './pascal-case.ts';

export interface TopologyTablesProps {
  readonly tables: Readonly<Record<string, TableSpec>>;
  readonly keyFor: (spec: TableSpec) => kms.IKey;
  readonly removalPolicy: RemovalPolicy;
}

/** A realized table with what a binding needs to grant least privilege on it. */
export interface TableBinding {
  readonly table: dynamodb.ITable;
  readonly key: kms.IKey;
  readonly indexNames: readonly string[];
}

export class TopologyTables extends Construct {
  /** By the topology's logical table name. */
  readonly bindings: Readonly<Record<string, TableBinding>>;
  readonly tables: readonly dynamodb.Table[];

  constructor(scope: Construct, id: string, props: TopologyTablesProps) {
    super(scope, id);
    const bindings: Record<string, TableBinding> = {};
    const tables: dynamodb.Table[] = [];
    for (const [name, spec] of Object.entries(props.tables)) {
      const key = props.keyFor(spec);
      // `Table`, not `TableV2`: TableV2 with a customer-managed key cannot synthesize environment-agnostic.
      const table = new dynamodb.Table(this, pascalCase(name), {
        partitionKey: attribute(spec.partitionKey),
        sortKey: spec.sortKey && attribute(spec.sortKey),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
        encryptionKey: key,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        timeToLiveAttribute: spec.ttlAttribute,
        removalPolicy: props.removalPolicy,
      });
      for (const index of spec.indexes ?? []) {
        table.addGlobalSecondaryIndex({
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          sortKey: index.sortKey && attribute(index.sortKey),
        });
      }
      tables.push(table);
      bindings[name] = { table, key, indexNames: (spec.indexes ?? []).map((index) => index.name) };
    }
    this.bindings = bindings;
    this.tables = tables;
  }
}

const ATTRIBUTE_TYPES = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
  B: dynamodb.AttributeType.BINARY,
} as const;

function attribute(key: KeyAttribute): dynamodb.Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}
