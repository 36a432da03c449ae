/** Starts an in-memory dynalite with the topology's tables, for storage tests against the real DynamoDB protocol. */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTables, startLocalDynamoDb } from '../../infra/local/local-dynamodb.ts';
import { topology } from '../../infra/topology/index.ts';
import { createDynamoDbClient } from '../../shared/adapters/aws/dynamodb-client.ts';

export interface LocalTables {
  readonly client: DynamoDBClient;
  close(): Promise<void>;
}

export async function startLocalTables(): Promise<LocalTables> {
  const dynamo = await startLocalDynamoDb({});
  const client = createDynamoDbClient({ region: 'us-east-1', endpoint: dynamo.endpoint });
  await ensureTables(client, topology, (logical) => logical);
  return {
    client,
    async close() {
      client.destroy();
      await dynamo.close();
    },
  };
}
