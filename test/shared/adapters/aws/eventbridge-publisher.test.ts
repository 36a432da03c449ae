import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '../../../../shared/adapters/aws/eventbridge-publisher.ts';
import { EventPublishFailed } from '../../../../shared/ports/event-publisher.ts';

const eventBridge = mockClient(EventBridgeClient);
const event = (n: number) => ({ source: 'clinical-ai-gateway.test', detailType: 'Test.Happened', detail: { n } });

describe('EventBridgePublisher', () => {
  beforeEach(() => eventBridge.reset());

  it('puts events on the named bus in batches of ten', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [] });
    const publisher = new EventBridgePublisher('cag-bus', new EventBridgeClient({ region: 'us-east-1' }));

    await publisher.publish(Array.from({ length: 23 }, (_, n) => event(n)));

    expect(eventBridge).toHaveReceivedCommandTimes(PutEventsCommand, 3);
    expect(eventBridge).toHaveReceivedNthCommandWith(PutEventsCommand, 1, {
      Entries: expect.arrayContaining([
        { EventBusName: 'cag-bus', Source: 'clinical-ai-gateway.test', DetailType: 'Test.Happened', Detail: '{"n":0}' },
      ]),
    });
  });

  it('fails when the bus rejects any entry, so the caller cannot proceed unrecorded', async () => {
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure' }] });
    const publisher = new EventBridgePublisher('cag-bus', new EventBridgeClient({ region: 'us-east-1' }));

    await expect(publisher.publish([event(1)])).rejects.toBeInstanceOf(EventPublishFailed);
  });
});
