/** GET /v1/audit: the privacy officer searches the audit trail; nobody can change it through the API. */
import { z } from 'zod';
import { httpHandler } from '../../shared/api/http-handler.ts';
import { AuditQueryRequest, queryAudit } from '../../shared/audit/audit-query.ts';

/** Query strings arrive as text: `limit` is converted here, everything else is checked by the use case's schema. */
const AuditQueryString = AuditQueryRequest.extend({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export const handler = httpHandler({
  action: 'audit.read',
  auth: 'user',
  query: AuditQueryString,
  run: async ({ query, ports }) => ({ status: 200, body: await queryAudit(query, { store: ports.auditStore }) }),
});
