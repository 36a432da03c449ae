/** ConnectionPush through the API Gateway Management API (`@connections`) of the encounter WebSocket API. */
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { ConnectionPush, PushOutcome } from '../../ports/connection-push.ts';

const isGone = (error: unknown) =>
  error instanceof GoneException || (error as { name?: string } | undefined)?.name === 'GoneException';

export class ApiGatewayConnectionPush implements ConnectionPush {
  readonly name = 'ApiGatewayConnectionPush';

  constructor(
    private readonly client: ApiGatewayManagementApiClient,
    readonly socketUrl: string,
  ) {}

  /** The management endpoint is the stage URL over https: `wss://id.execute-api.region.amazonaws.com/stage`. */
  static create(socketUrl: string, region: string): ApiGatewayConnectionPush {
    const endpoint = socketUrl.replace(/^wss:/, 'https:');
    return new ApiGatewayConnectionPush(new ApiGatewayManagementApiClient({ region, endpoint }), socketUrl);
  }

  async push(connectionId: string, message: Readonly<Record<string, unknown>>): Promise<PushOutcome> {
    try {
      await this.client.send(
        new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(JSON.stringify(message), 'utf8') }),
      );
      return 'delivered';
    } catch (error) {
      if (isGone(error)) return 'gone';
      throw error;
    }
  }

  async close(connectionId: string): Promise<void> {
    try {
      await this.client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }));
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }
}
