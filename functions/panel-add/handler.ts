/** PUT /v1/panels/{userId}/patients/{patientScope}: puts a patient on a physician's panel (admin; idempotent). */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { PanelMemberPath } from '../../shared/identity/panel-requests.ts';

export const handler = httpHandler({
  action: 'panel.write',
  auth: 'user',
  path: PanelMemberPath,
  run: async ({ path, ports, caller, audit }) => {
    await audit.allowed({ resource: { patientScope: path.patientScope } });
    await ports.panels.add(path.userId, path.patientScope, caller.userId);
    return { status: 200, body: { userId: path.userId, patientScope: path.patientScope, onPanel: true } };
  },
});
