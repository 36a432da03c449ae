/** Path schemas of the panel routes. */
import { z } from 'zod';
import { PatientScope } from '../phi/phi-requests.ts';

const UserId = z.string().regex(/^[A-Za-z0-9._@:+-]{1,128}$/);

export const PanelPath = z.object({ userId: UserId }).strict();
export const PanelMemberPath = z.object({ userId: UserId, patientScope: PatientScope }).strict();
