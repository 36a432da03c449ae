import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiGatewayConnectionPush } from '../../../../shared/adapters/aws/api-gateway-connection-push.ts';

const api = mockClient(ApiGatewayManagementApiClient);
const gone = () => new GoneException({ message: 'gone', $metadata: {} });

describe('ApiGatewayConnectionPush', () => {
  afterEach(() => api.reset());
  const push = () =>
    ApiGatewayConnectionPush.create('wss://abc123.execute-api.us-east-1.amazonaws.com/prod', 'us-east-1');

  it('posts the message as JSON to the connection and keeps the wss URL for clients', async () => {
    api.on(PostToConnectionCommand).resolves({});
    const adapter = push();
    expect(await adapter.push('conn-1', { type: 'accepted', seq: 3 })).toBe('delivered');
    const sent = api.commandCalls(PostToConnectionCommand)[0]?.args[0].input;
    expect(sent?.ConnectionId).toBe('conn-1');
    expect(JSON.parse(Buffer.from(sent?.Data as Uint8Array).toString('utf8'))).toEqual({ type: 'accepted', seq: 3 });
    expect(adapter.socketUrl).toBe('wss://abc123.execute-api.us-east-1.amazonaws.com/prod');
  });

  it('reports a closed connection as gone, and rethrows anything else', async () => {
    api.on(PostToConnectionCommand).rejectsOnce(gone()).rejectsOnce(new Error('throttled'));
    const adapter = push();
    expect(await adapter.push('conn-2', { type: 'accepted', seq: 0 })).toBe('gone');
    await expect(adapter.push('conn-2', { type: 'accepted', seq: 0 })).rejects.toThrow('throttled');
  });

  it('closes a connection, treating one already gone as closed', async () => {
    api.on(DeleteConnectionCommand).rejects(gone());
    await expect(push().close('conn-3')).resolves.toBeUndefined();
    expect(api.commandCalls(DeleteConnectionCommand)).toHaveLength(1);
  });
});
