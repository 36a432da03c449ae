import { describe, expect, it } from 'vitest';
import { Conflict, NotFound, ValidationFailed } from '../../../shared/errors/domain-errors.ts';
import { createEvent } from '../../../shared/events/event-definition.ts';
import { IncidentReported } from '../../../shared/policy/incident-report.ts';
import {
  getIncident,
  listIncidents,
  reportIncident,
  transitionIncident,
} from '../../../shared/policy/incident-workflow.ts';
import { fixedClock, InMemoryPolicyStore, sequentialIds } from './policy-fakes.ts';

const DESCRIPTION = 'Pasted the visit note of Jane Roe (DOB 1980-04-02) into a public chatbot';

function arrange() {
  return { store: new InMemoryPolicyStore(), clock: fixedClock('2026-03-10T09:00:00Z'), ids: sequentialIds('inc') };
}

const report = (ports: ReturnType<typeof arrange>) =>
  reportIncident({ kind: 'phi-in-unapproved-tool', occurredOn: '2026-03-09', description: DESCRIPTION }, 'ma-1', ports);

describe('incident workflow', () => {
  describe('reportIncident', () => {
    it('stores an open report with its first history entry', async () => {
      const ports = arrange();
      const incident = await report(ports);

      expect(incident).toEqual({
        id: 'inc-1',
        kind: 'phi-in-unapproved-tool',
        occurredOn: '2026-03-09',
        description: DESCRIPTION,
        reportedBy: 'ma-1',
        reportedAt: '2026-03-10T09:00:00.000Z',
        status: 'open',
        history: [{ status: 'open', at: '2026-03-10T09:00:00.000Z', by: 'ma-1' }],
      });
      expect(await getIncident('inc-1', ports)).toEqual(incident);
    });

    it('refuses an incident dated after today with 400 OCCURRED_IN_FUTURE', async () => {
      const error = await reportIncident(
        { kind: 'other', occurredOn: '2026-03-11', description: 'later' },
        'ma-1',
        arrange(),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationFailed);
      expect(error).toMatchObject({ code: 'OCCURRED_IN_FUTURE' });
    });
  });

  describe('the IncidentReported event', () => {
    it('carries the id, kind and time, and refuses a detail holding the description', async () => {
      const incident = await report(arrange());
      const event = createEvent(IncidentReported, {
        incidentId: incident.id,
        kind: incident.kind,
        reportedAt: incident.reportedAt,
      });

      expect(event).toMatchObject({ source: 'clinical-ai-gateway.policy', detailType: 'Incident.Reported' });
      expect(JSON.stringify(event)).not.toContain('Jane');
      expect(() => createEvent(IncidentReported, { ...event.detail, description: DESCRIPTION } as never)).toThrow();
    });
  });

  describe('transitionIncident', () => {
    it('moves open -> investigating -> closed, recording who and when', async () => {
      const ports = arrange();
      await report(ports);
      ports.clock.set('2026-03-11T09:00:00Z');
      await transitionIncident('inc-1', { to: 'investigating' }, 'privacy-1', ports);
      ports.clock.set('2026-03-12T09:00:00Z');
      const closed = await transitionIncident(
        'inc-1',
        { to: 'closed', resolution: 'Staff retrained; vendor asked to delete' },
        'privacy-1',
        ports,
      );

      expect(closed.status).toBe('closed');
      expect(closed.resolution).toBe('Staff retrained; vendor asked to delete');
      expect(closed.history.map((change) => [change.status, change.at.slice(0, 10), change.by])).toEqual([
        ['open', '2026-03-10', 'ma-1'],
        ['investigating', '2026-03-11', 'privacy-1'],
        ['closed', '2026-03-12', 'privacy-1'],
      ]);
    });

    it.each([
      ['open', 'closed'],
      ['investigating', 'investigating'],
      ['closed', 'investigating'],
      ['closed', 'closed'],
    ] as const)('refuses %s -> %s with 409 INVALID_TRANSITION', async (from, to) => {
      const ports = arrange();
      await report(ports);
      if (from !== 'open') await transitionIncident('inc-1', { to: 'investigating' }, 'p', ports);
      if (from === 'closed') await transitionIncident('inc-1', { to: 'closed', resolution: 'done' }, 'p', ports);

      const resolution = to === 'closed' ? { resolution: 'again' } : {};
      const error = await transitionIncident('inc-1', { to, ...resolution }, 'p', ports).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Conflict);
      expect(error).toMatchObject({ code: 'INVALID_TRANSITION', status: 409 });
      expect((await getIncident('inc-1', ports)).status).toBe(from);
    });

    it('refuses with INVALID_TRANSITION when someone else moved the incident first', async () => {
      const ports = arrange();
      await report(ports);
      const racing = { ...ports, store: Object.create(ports.store) as InMemoryPolicyStore };
      racing.store.updateIncident = async (incident, expected) => {
        await ports.store.updateIncident({ ...incident }, expected);
        return ports.store.updateIncident(incident, expected);
      };
      await expect(transitionIncident('inc-1', { to: 'investigating' }, 'p', racing)).rejects.toMatchObject({
        code: 'INVALID_TRANSITION',
      });
    });

    it('requires a resolution to close and accepts one only when closing', async () => {
      const ports = arrange();
      await report(ports);
      await expect(transitionIncident('inc-1', { to: 'investigating', resolution: 'x' }, 'p', ports)).rejects.toThrow(
        ValidationFailed,
      );
      await transitionIncident('inc-1', { to: 'investigating' }, 'p', ports);
      await expect(transitionIncident('inc-1', { to: 'closed' }, 'p', ports)).rejects.toMatchObject({
        code: 'RESOLUTION_REQUIRED',
      });
    });

    it('answers 404 INCIDENT_NOT_FOUND for an unknown id', async () => {
      const error = await transitionIncident('nope', { to: 'investigating' }, 'p', arrange()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFound);
      expect(error).toMatchObject({ code: 'INCIDENT_NOT_FOUND' });
    });
  });

  describe('listIncidents', () => {
    it('lists the incidents with one status, oldest first', async () => {
      const ports = arrange();
      await report(ports);
      ports.clock.set('2026-03-10T10:00:00Z');
      await report(ports);
      ports.clock.set('2026-03-10T11:00:00Z');
      await report(ports);
      await transitionIncident('inc-2', { to: 'investigating' }, 'p', ports);

      expect((await listIncidents('open', ports)).map((incident) => incident.id)).toEqual(['inc-1', 'inc-3']);
      expect((await listIncidents('investigating', ports)).map((incident) => incident.id)).toEqual(['inc-2']);
      expect(await listIncidents('closed', ports)).toEqual([]);
    });
  });
});
