/** WebSocket `$connect`: admits the clinician who opened the encounter named in `?encounterId=`, refuses anyone else. */
import { Unauthenticated, ValidationFailed } from '../../shared/errors/domain-errors.ts';
import { connectEncounter } from '../../shared/transcription/connect-encounter.ts';
import { EncounterId } from '../../shared/transcription/encounter-requests.ts';
import { connectHandler } from '../../shared/transcription/socket-handler.ts';

export const handler = connectHandler({
  action: 'encounter.stream',
  run: async ({ event, caller, audit, ports }) => {
    const encounterId = EncounterId.safeParse(event.queryStringParameters?.encounterId);
    if (!encounterId.success) throw new ValidationFailed('VALIDATION_FAILED', 'encounterId is required');
    // The authorizer passes the token's expiry on (a string locally, a number from API Gateway).
    const tokenExpiresAt = Number(event.requestContext.authorizer?.exp);
    if (!Number.isFinite(tokenExpiresAt) || tokenExpiresAt <= 0) throw new Unauthenticated();
    const request = { encounterId: encounterId.data, connectionId: event.requestContext.connectionId, tokenExpiresAt };
    await connectEncounter(request, caller, {
      store: ports.encounters,
      panels: ports.panels,
      clock: ports.clock,
      audit,
    });
  },
});
