/** DELETE /v1/panels/{userId}/patients/{patientScope}: takes a patient off a physician's panel (admin). */
import { httpHandler } from '../../shared/api/http-handler.ts';
import { NotFound } from '../../shared/errors/domain-errors.ts';
import { PanelMemberPath } from '../../shared/identity/panel-requests.ts';

export const handler = httpHandler({
  action: 'panel.write',
  auth: 'user',
  path: PanelMemberPath,
  run: async ({ path, ports, audit }) => {
    await audit.allowed({ resource: { patientScope: path.patientScope } });
    if (!(await ports.panels.remove(path.userId, path.patientScope))) {
      throw new NotFound('NOT_ON_PANEL', 'That patient is not on that panel');
    }
    return { status: 200, body: { userId: path.userId, patientScope: path.patientScope, onPanel: false } };
  },
});
