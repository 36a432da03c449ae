/** PanelDirectory on DynamoDB: one item per (physician, patient scope), single-item writes only. */
import {
  type AttributeValue,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { Clock } from '../../ports/clock.ts';
import type { PanelDirectory } from '../../ports/panel-directory.ts';

export class DynamoDbPanelDirectory implements PanelDirectory {
  readonly name = 'DynamoDbPanelDirectory';

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly clock: Clock,
  ) {}

  async isOnPanel(userId: string, patientScope: string): Promise<boolean> {
    const { Item } = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { userId: { S: userId }, patientScope: { S: patientScope } },
        ConsistentRead: true,
      }),
    );
    return Item !== undefined;
  }

  async list(userId: string): Promise<string[]> {
    const scopes: string[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'userId = :userId',
          ExpressionAttributeValues: { ':userId': { S: userId } },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) if (item.patientScope?.S) scopes.push(item.patientScope.S);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return scopes;
  }

  async add(userId: string, patientScope: string, addedBy: string): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          userId: { S: userId },
          patientScope: { S: patientScope },
          addedBy: { S: addedBy },
          addedAt: { S: this.clock.now().toISOString() },
        },
      }),
    );
  }

  async remove(userId: string, patientScope: string): Promise<boolean> {
    const { Attributes } = await this.client.send(
      new DeleteItemCommand({
        TableName: this.tableName,
        Key: { userId: { S: userId }, patientScope: { S: patientScope } },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return Attributes !== undefined;
  }
}
