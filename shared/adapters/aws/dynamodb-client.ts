/** Creates the DynamoDB client once per process, traced, optionally pointed at a local endpoint (dynalite). */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { tracer } from '../../observability/telemetry.ts';

export interface DynamoDbClientOptions {
  readonly region: string;
  /** A local DynamoDB-compatible endpoint; unset in AWS. */
  readonly endpoint?: string;
}

export function createDynamoDbClient(options: DynamoDbClientOptions): DynamoDBClient {
  const client = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint
      ? {
          endpoint: options.endpoint,
          // dynalite accepts any signature; these are not secrets and never reach AWS.
          credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        }
      : {}),
    maxAttempts: 3,
  });
  return tracer.captureAWSv3Client(client);
}
