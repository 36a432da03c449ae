/** WebSocket `$disconnect`: forgets the connection; the encounter stays open for a reconnect to resume it. */
import { routeHandler } from '../../shared/transcription/socket-handler.ts';

export const handler = routeHandler({
  action: 'encounter.disconnect',
  run: async (event, ports) => {
    await ports.encounters.unbindConnection(event.requestContext.connectionId);
    return undefined;
  },
});
