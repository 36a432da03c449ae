/** GET /v1/panels/{userId}: the patient scopes on a physician's panel (admin). */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { PanelPath } from '../../shared/identity/panel-requests.ts';

export const handler = httpHandler({
  action: 'panel.read',
  auth: 'user',
  path: PanelPath,
  run: async ({ path, ports }) => ({
    status: 200,
    body: { userId: path.userId, patientScopes: await ports.panels.list(path.userId) },
  }),
});
