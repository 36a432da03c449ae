/** Embedded DynamoDB for the local runtime: dynalite speaking the real wire protocol, tables made from the topology. */
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import type { TableSpec, Topology } from '../topology/types.ts';

export interface LocalDynamoDb {
  readonly endpoint: string;
  close(): Promise<void>;
}

/** Starts dynalite on loopback; `dataDir` persists tables on disk, undefined keeps them in memory. */
export async function startLocalDynamoDb(options: { dataDir?: string }): Promise<LocalDynamoDb> {
  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  const server = dynalite({
    ...(options.dataDir ? { path: options.dataDir } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error?: Error) => (error ? reject(error) : resolve()));
      }),
  };
}

export function createTableInput(tableName: string, spec: TableSpec): CreateTableCommandInput {
  const attributes = new Map<string, string>();
  const keys = [spec.partitionKey, spec.sortKey, ...(spec.indexes ?? []).flatMap((i) => [i.partitionKey, i.sortKey])];
  for (const key of keys) if (key) attributes.set(key.name, key.type);
  const keySchema = (partition: { name: string }, sort?: { name: string }) => [
    { AttributeName: partition.name, KeyType: 'HASH' as const },
    ...(sort ? [{ AttributeName: sort.name, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({
      AttributeName,
      AttributeType: AttributeType as 'S' | 'N' | 'B',
    })),
    KeySchema: keySchema(spec.partitionKey, spec.sortKey),
    ...(spec.indexes?.length
      ? {
          GlobalSecondaryIndexes: spec.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  };
}

/** Creates every topology table that does not exist yet (tables persisted from an earlier run are kept). */
export async function ensureTables(
  client: DynamoDBClient,
  topology: Topology,
  nameOf: (logical: string) => string,
): Promise<void> {
  for (const [logical, spec] of Object.entries(topology.tables)) {
    const tableName = nameOf(logical);
    try {
      await client.send(new CreateTableCommand(createTableInput(tableName, spec)));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
    for (let attempt = 0; attempt < 50; attempt++) {
      const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
      if (described.Table?.TableStatus === 'ACTIVE') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
