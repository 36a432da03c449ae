/**
 * Expires items whose TTL attribute has passed, for the tables the topology declares with TTL, because dynalite
 * has no TTL of its own. DynamoDB deletes expired items lazily (within days); this sweeps on an interval.
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../shared/ports/clock.ts';
import type { Topology } from '../topology/types.ts';

export class TtlSweeper {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly topology: Topology,
    private readonly nameOf: (logical: string) => string,
    private readonly clock: Clock,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      this.sweepOnce().catch(() => undefined);
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Deletes every expired item once; returns how many were deleted per logical table. */
  async sweepOnce(): Promise<Record<string, number>> {
    const deleted: Record<string, number> = {};
    const now = String(Math.floor(this.clock.now().getTime() / 1000));
    for (const [logical, spec] of Object.entries(this.topology.tables)) {
      if (!spec.ttlAttribute) continue;
      const keyNames = [spec.partitionKey.name, ...(spec.sortKey ? [spec.sortKey.name] : [])];
      let count = 0;
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await this.client.send(
          new ScanCommand({
            TableName: this.nameOf(logical),
            FilterExpression: '#ttl < :now',
            ExpressionAttributeNames: { '#ttl': spec.ttlAttribute },
            ExpressionAttributeValues: { ':now': { N: now } },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const key = Object.fromEntries(keyNames.map((name) => [name, item[name] as AttributeValue]));
          try {
            // Conditional, so an item whose expiry was pushed back meanwhile survives.
            await this.client.send(
              new DeleteItemCommand({
                TableName: this.nameOf(logical),
                Key: key,
                ConditionExpression: '#ttl < :now',
                ExpressionAttributeNames: { '#ttl': spec.ttlAttribute },
                ExpressionAttributeValues: { ':now': { N: now } },
              }),
            );
            count++;
          } catch (error) {
            if (!(error instanceof ConditionalCheckFailedException)) throw error;
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      deleted[logical] = count;
    }
    return deleted;
  }
}
