import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ConsoleNotifier } from '../../shared/adapters/local/console-notifier.ts';
import { type RunningSystem, startRunningSystem } from '../support/running-system.ts';

describe('incident report route', () => {
  let system: RunningSystem;
  const notices = () => (system.runtime.ports.notifier as ConsoleNotifier).sent;
  const openIncidents = async () =>
    (await system.call('privacy-officer', 'GET', '/v1/incidents?status=open')).body.incidents as {
      id: string;
      description: string;
      notificationOwed?: true;
    }[];

  /** The bus refuses the first `Incident.Reported` publish (and only that one), as an outage after the store. */
  function failPublishOnce() {
    const bus = system.runtime.ports.events;
    const publish = bus.publish.bind(bus);
    let failed = false;
    vi.spyOn(bus, 'publish').mockImplementation(async (batch) => {
      if (!failed && batch.some((event) => event.detailType === 'Incident.Reported')) {
        failed = true;
        throw new Error('bus down');
      }
      return publish(batch);
    });
  }

  beforeAll(async () => {
    system = await startRunningSystem();
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => system?.stop());

  it('answers a failed publish with 503, and a retry with the same key files one incident and one notice', async () => {
    const report = {
      kind: 'improper-disclosure',
      occurredOn: '2026-01-12',
      description: 'Discharge letter faxed to the wrong clinic (retry case).',
      idempotencyKey: 'incident-retry-0001',
    };
    const noticesBefore = notices().length;
    failPublishOnce();

    const first = await system.call('nurse', 'POST', '/v1/incidents', report);

    expect([first.status, first.body.error?.code]).toEqual([503, 'INCIDENT_NOTIFICATION_PENDING']);
    const incidentId = String((first.body.error as { incidentId?: string } | undefined)?.incidentId);
    expect(notices().length).toBe(noticesBefore);
    expect(system.audit.at(-1)).toMatchObject({
      action: 'incident.report',
      outcome: 'failed',
      reason: 'INCIDENT_NOTIFICATION_PENDING',
    });
    expect((await openIncidents()).find((incident) => incident.id === incidentId)).toMatchObject({
      notificationOwed: true,
    });

    const retry = await system.call('nurse', 'POST', '/v1/incidents', report);
    const again = await system.call('nurse', 'POST', '/v1/incidents', report);

    expect([retry.status, retry.body.id]).toEqual([200, incidentId]);
    expect([again.status, again.body.id]).toEqual([200, incidentId]);
    const filed = (await openIncidents()).filter((incident) => incident.description === report.description);
    expect(filed.map((incident) => [incident.id, incident.notificationOwed])).toEqual([[incidentId, undefined]]);
    expect(
      notices()
        .slice(noticesBefore)
        .map((notice) => notice.message.includes(incidentId)),
    ).toEqual([true]);
  });

  it('refuses another report under a key already used, with 409 IDEMPOTENCY_KEY_REUSED', async () => {
    const report = {
      kind: 'other',
      occurredOn: '2026-01-12',
      description: 'First.',
      idempotencyKey: 'incident-key-0002',
    };
    expect((await system.call('front-desk', 'POST', '/v1/incidents', report)).status).toBe(201);

    const reused = await system.call('front-desk', 'POST', '/v1/incidents', { ...report, description: 'Second.' });

    expect([reused.status, reused.body.error?.code]).toEqual([409, 'IDEMPOTENCY_KEY_REUSED']);
    // Keys belong to their reporter: the same key from someone else is a report of its own.
    expect((await system.call('billing', 'POST', '/v1/incidents', { ...report, description: 'Second.' })).status).toBe(
      201,
    );
  });
});
