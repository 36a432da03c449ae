/**
 * WebSocket `$default`, a two-way route: one segment (or status request) per message, transcribed by this one
 * invocation, whose reply (the segment's finals, the status, or an error) goes back as the route response.
 */
import { RequestAudit } from '../../shared/audit/request-audit.ts';
import { parseGroups } from '../../shared/identity/caller.ts';
import { handleSocketMessage, socketError } from '../../shared/transcription/handle-socket-message.ts';
import { routeHandler } from '../../shared/transcription/socket-handler.ts';

export const handler = routeHandler({
  action: 'encounter.stream',
  // A failure before the segment was claimed leaves nothing behind: sending it again is safe.
  failureReply: socketError('INTERNAL_ERROR', { retryable: true }),
  run: async (event, ports) => {
    const receivedAtMs = event.requestContext.requestTimeEpoch ?? ports.clock.now().getTime();
    return handleSocketMessage(
      {
        connectionId: event.requestContext.connectionId,
        body: event.body ?? undefined,
        isBase64Encoded: event.isBase64Encoded ?? false,
        receivedAtMs,
      },
      {
        store: ports.encounters,
        keys: ports.encounterKeys,
        push: ports.connections,
        clock: ports.clock,
        transcriber: ports.transcriber,
        auditFor: (binding) =>
          new RequestAudit(ports.audit, ports.clock, {
            action: 'encounter.stream',
            caller: {
              userId: binding.userId,
              username: binding.userId,
              roles: parseGroups(binding.roles.join(',')),
              clientId: undefined,
              sourceIp: undefined,
            },
            correlationId: event.requestContext.requestId,
          }),
      },
    );
  },
});
