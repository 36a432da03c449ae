/** Builds the ports for a Lambda in AWS from its environment, failing fast at cold start when a variable is missing. */
import { createDynamoDbClient } from '../adapters/aws/dynamodb-client.ts';
import { EventBridgePublisher } from '../adapters/aws/eventbridge-publisher.ts';
import { systemClock } from '../ports/clock.ts';
import { randomIds } from '../ports/ids.ts';
import type { Ports } from './ports.ts';
import { tableEnvVar } from './table-env.ts';
import { SERVICE_VERSION } from './version.ts';

type Environment = Readonly<Record<string, string | undefined>>;

export function buildAwsPorts(env: Environment): Ports {
  const read = (key: string): string => {
    const value = env[key]?.trim();
    if (!value) throw new Error(`Environment variable ${key} is required`);
    return value;
  };
  const region = read('AWS_REGION');
  const busName = env.EVENT_BUS_NAME?.trim();
  return {
    runtime: 'aws',
    version: SERVICE_VERSION,
    clock: systemClock,
    ids: randomIds,
    // Functions without the events:publish capability get no bus name; publishing there is a wiring bug.
    events: busName
      ? EventBridgePublisher.create(busName, region)
      : {
          name: 'unbound',
          publish: () => Promise.reject(new Error('This function is not granted events:publish in the topology')),
        },
    tables: { client: createDynamoDbClient({ region }), nameOf: (logical) => read(tableEnvVar(logical)) },
    adapters: {
      events: { adapter: 'EventBridgePublisher', kind: 'aws' },
      tables: { adapter: 'DynamoDB', kind: 'aws' },
    },
  };
}
