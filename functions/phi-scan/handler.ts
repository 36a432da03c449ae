/** POST /v1/phi/scan: the "pause test" — which identifiers a text holds, by offset and type. */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { MAX_PHI_BODY_BYTES, ScanRequest } from '../../shared/phi/phi-requests.ts';
import { scanText } from '../../shared/phi/scan-text.ts';

export const handler = httpHandler({
  action: 'phi.scan',
  auth: 'user',
  body: ScanRequest,
  maxBodyBytes: MAX_PHI_BODY_BYTES,
  run: async ({ body, ports, audit }) => {
    const result = await scanText(body.text, ports.phiDetector);
    await audit.allowed({
      resource: { entityCounts: result.entityCounts },
      ...(body.purpose ? { purpose: body.purpose } : {}),
    });
    return { status: 200, body: result };
  },
});
