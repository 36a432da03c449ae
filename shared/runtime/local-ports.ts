/** Builds the ports for the local runtime: the same DynamoDB adapter against dynalite, the in-process bus. */

import { createDynamoDbClient } from '../adapters/aws/dynamodb-client.ts';
import type { InProcessEventBus } from '../adapters/local/in-process-event-bus.ts';
import type { Clock } from '../ports/clock.ts';
import type { Ids } from '../ports/ids.ts';
import type { Ports } from './ports.ts';
import { SERVICE_VERSION } from './version.ts';

export const LOCAL_REGION = 'us-east-1';

export interface LocalPortsOptions {
  readonly dynamoEndpoint: string;
  readonly bus: InProcessEventBus;
  readonly clock: Clock;
  readonly ids: Ids;
}

export function buildLocalPorts(options: LocalPortsOptions): Ports {
  return {
    runtime: 'local',
    version: SERVICE_VERSION,
    clock: options.clock,
    ids: options.ids,
    events: options.bus,
    tables: {
      client: createDynamoDbClient({ region: LOCAL_REGION, endpoint: options.dynamoEndpoint }),
      nameOf: (logical) => logical,
    },
    adapters: {
      events: { adapter: 'InProcessEventBus', kind: 'local' },
      tables: { adapter: 'DynamoDB (dynalite)', kind: 'local' },
    },
  };
}
