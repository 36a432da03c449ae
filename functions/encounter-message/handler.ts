/**
 * WebSocket `$default`, a two-way route: one segment (or status request) per message, transcribed by this one
 * invocation, whose reply (the segment's finals, the status, or an error) goes back as the route response.
 */
import { RequestAudit } from '../../shared/audit/request-audit.ts';
import {
  callerOfBinding,
  handleSocketMessage,
  ROUTE_RESPONSE_LIMIT_MS,
  socketError,
} from '../../shared/transcription/handle-socket-message.ts';
import { routeHandler } from '../../shared/transcription/socket-handler.ts';

export const handler = routeHandler({
  action: 'encounter.stream',
  // A failure before the segment was claimed leaves nothing behind: sending it again is safe.
  failureReply: socketError('INTERNAL_ERROR', { retryable: true }),
  isServerError: (reply) => reply.type === 'error' && reply.code === 'INTERNAL_ERROR',
  run: async (event, ports, remainingMs) => {
    const now = ports.clock.now().getTime();
    const receivedAtMs = event.requestContext.requestTimeEpoch ?? now;
    const runsAtMostMs = remainingMs();
    // The reply must leave before the function times out and, in AWS, before API Gateway stops waiting (29 s from
    // the message's arrival); a reply after either is lost, so the transcriber's deadline is set below both.
    const replyWithinMs = Math.min(runsAtMostMs - 1_000, ROUTE_RESPONSE_LIMIT_MS - Math.max(0, now - receivedAtMs));
    return handleSocketMessage(
      {
        connectionId: event.requestContext.connectionId,
        body: event.body ?? undefined,
        isBase64Encoded: event.isBase64Encoded ?? false,
        receivedAtMs,
        replyWithinMs: Math.max(0, replyWithinMs),
        runsAtMostMs,
      },
      {
        store: ports.encounters,
        keys: ports.encounterKeys,
        push: ports.connections,
        clock: ports.clock,
        panels: ports.panels,
        transcriber: ports.transcriber,
        auditFor: (binding) =>
          new RequestAudit(ports.audit, ports.clock, {
            action: 'encounter.stream',
            caller: callerOfBinding(binding),
            correlationId: event.requestContext.requestId,
          }),
      },
    );
  },
});
