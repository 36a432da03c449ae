import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDbPolicyStore } from '../../../../shared/adapters/aws/dynamodb-policy-store.ts';
import {
  listApprovedModelVersions,
  retireApprovedModel,
  upsertApprovedModel,
} from '../../../../shared/policy/approved-model-registry.ts';
import { consentCovers, grantConsent, revokeConsent } from '../../../../shared/policy/consent-registry.ts';
import { decideModelUse } from '../../../../shared/policy/decide-model-use.ts';
import { listIncidents, reportIncident, transitionIncident } from '../../../../shared/policy/incident-workflow.ts';
import {
  attest,
  getCurrentPolicyVersion,
  hasCurrentAttestation,
  listAttestations,
  setPolicyVersion,
} from '../../../../shared/policy/policy-attestation.ts';
import { findReviewsDue } from '../../../../shared/policy/review-reminders.ts';
import { type LocalTables, startLocalTables } from '../../../support/local-tables.ts';
import { approvedModel, consent, fixedClock, policyVersion, sequentialIds } from '../../policy/policy-fakes.ts';

const TABLE = 'policy';
const SCOPE = 'scope-0001';

describe('DynamoDbPolicyStore', () => {
  let tables: LocalTables;
  let store: DynamoDbPolicyStore;
  const clock = fixedClock('2026-03-10T09:00:00Z');
  const ports = () => ({ store, clock, ids: sequentialIds('rec') });

  const rawItem = async (pk: string, sk: string) =>
    (await tables.client.send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk }, sk: { S: sk } } }))).Item;

  /** The store over a client whose `send` goes through `intercept`, which calls `send()` to pass a command on. */
  const withClient = (
    intercept: (command: unknown, send: () => Promise<unknown>) => unknown | Promise<unknown>,
  ): DynamoDbPolicyStore => {
    const client = {
      send: (command: unknown) =>
        intercept(command, () => tables.client.send(command as Parameters<DynamoDBClient['send']>[0])),
    } as unknown as DynamoDBClient;
    return new DynamoDbPolicyStore({ client, tableName: TABLE });
  };

  beforeAll(async () => {
    tables = await startLocalTables();
    store = new DynamoDbPolicyStore({ client: tables.client, tableName: TABLE });
  });
  afterAll(async () => tables?.close());

  beforeEach(async () => {
    clock.set('2026-03-10T09:00:00Z');
    const { Items = [] } = await tables.client.send(new ScanCommand({ TableName: TABLE }));
    for (const item of Items) {
      await tables.client.send(
        new DeleteItemCommand({ TableName: TABLE, Key: { pk: item.pk ?? { S: '' }, sk: item.sk ?? { S: '' } } }),
      );
    }
  });

  describe('approved models', () => {
    it('creates only when absent, replaces only at the expected version, and reads back what it wrote', async () => {
      const first = approvedModel();
      expect(await store.putModel(first, undefined)).toBe(true);
      expect(await store.putModel(first, undefined)).toBe(false);

      const second = { ...first, version: 2, nextReviewOn: '2027-03-31' };
      expect(await store.putModel(second, 2)).toBe(false);
      expect(await store.putModel(second, 1)).toBe(true);
      expect(await store.putModel({ ...second, version: 3 }, 1)).toBe(false);

      expect(await store.getModel(first.id)).toEqual(second);
      expect(await store.getModel('unknown')).toBeUndefined();
    });

    it('lists every model of the shared partition by id, and refuses a stale upsert with VERSION_CONFLICT', async () => {
      const { version: _v, updatedAt: _a, updatedBy: _b, ...fields } = approvedModel();
      await upsertApprovedModel({ ...fields, id: 'zeta' }, 'admin-1', ports());
      await upsertApprovedModel({ ...fields, id: 'alpha' }, 'admin-1', ports());
      await upsertApprovedModel({ ...fields, id: 'alpha', expectedVersion: 1 }, 'admin-1', ports());

      await expect(
        upsertApprovedModel({ ...fields, id: 'alpha', expectedVersion: 1 }, 'admin-1', ports()),
      ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', status: 409 });
      expect((await store.listModels()).map((model) => [model.id, model.version])).toEqual([
        ['alpha', 2],
        ['zeta', 1],
      ]);
    });

    it('keeps the record whole in one map attribute under the documented key', async () => {
      await store.putModel(approvedModel({ baa: { inPlace: false } }), undefined);
      const item = await rawItem('model', 'claude-bedrock');

      expect(item?.record?.M?.version).toEqual({ N: '1' });
      expect(item?.record?.M?.baa?.M?.inPlace).toEqual({ BOOL: false });
      expect(item?.record?.M?.baa?.M?.executedOn).toBeUndefined();
    });

    it('keeps each replaced version under the history key of its model, so two updates leave every version readable', async () => {
      const { version: _v, updatedAt: _a, updatedBy: _b, ...fields } = approvedModel();
      await upsertApprovedModel({ ...fields, baa: { inPlace: false } }, 'admin-1', ports());
      clock.set('2026-03-11T09:00:00Z');
      await upsertApprovedModel({ ...fields, expectedVersion: 1 }, 'admin-2', ports());
      clock.set('2026-03-12T09:00:00Z');
      await retireApprovedModel('claude-bedrock', 2, 'privacy-1', ports());

      const versions = await listApprovedModelVersions('claude-bedrock', ports());
      expect(versions.map(({ version, status, baa, updatedBy }) => [version, status, baa.inPlace, updatedBy])).toEqual([
        [1, 'active', false, 'admin-1'],
        [2, 'active', true, 'admin-2'],
        [3, 'retired', true, 'privacy-1'],
      ]);
      expect((await rawItem('model#claude-bedrock', 'version#0000000001'))?.record?.M?.version).toEqual({ N: '1' });
      expect((await store.listModels()).map((model) => [model.id, model.version])).toEqual([['claude-bedrock', 3]]);
    });

    it('writes no history entry for a replacement refused at a stale version', async () => {
      await store.putModel(approvedModel(), undefined);
      expect(await store.putModel(approvedModel({ version: 3 }), 2)).toBe(false);
      expect(await store.listModelVersions('claude-bedrock')).toEqual([]);
    });

    it('fails closed on an item that no longer matches the schema', async () => {
      await tables.client.send(
        new PutItemCommand({
          TableName: TABLE,
          Item: { pk: { S: 'model' }, sk: { S: 'tampered' }, record: { M: { id: { S: 'tampered' } } } },
        }),
      );
      await expect(store.listModels()).rejects.toThrow('does not match its schema');
      await expect(store.getModel('tampered')).rejects.toThrow('does not match its schema');
    });
  });

  describe('policy versions and attestations', () => {
    it('moves the current version only from the expected one, and keeps the history', async () => {
      expect(await store.setCurrentPolicyVersion(policyVersion('2026-01'), undefined)).toBe(true);
      expect(await store.setCurrentPolicyVersion(policyVersion('2026-06'), undefined)).toBe(false);
      const june = policyVersion('2026-06', { effectiveOn: '2026-06-01', setAt: '2026-06-01T09:00:00.000Z' });
      expect(await store.setCurrentPolicyVersion(june, '2026-01')).toBe(false);
      const july = policyVersion('2026-07', { effectiveOn: '2026-07-01', setAt: '2026-07-01T09:00:00.000Z' });
      expect(await store.setCurrentPolicyVersion(july, '2026-01')).toBe(true);

      expect(await store.getCurrentPolicyVersion()).toEqual(july);
      expect(await store.getPolicyVersion('2026-01')).toEqual(policyVersion('2026-01'));
      expect((await store.listPolicyVersions()).map((version) => version.version)).toEqual([
        '2026-01',
        '2026-06',
        '2026-07',
      ]);
    });

    it('writes the history entry of a label before the pointer and never over an existing entry', async () => {
      const sent: string[] = [];
      const spy = withClient((command, send) => {
        if (command instanceof PutItemCommand) sent.push(command.input.Item?.sk?.S ?? '');
        return send();
      });
      expect(await spy.setCurrentPolicyVersion(policyVersion('2026-01'), undefined)).toBe(true);
      expect(sent).toEqual(['version#2026-01', 'current']);

      sent.length = 0;
      expect(await spy.setCurrentPolicyVersion(policyVersion('2026-01', { setBy: 'admin-2' }), '2026-01')).toBe(false);
      expect(sent).toEqual(['version#2026-01']);
      expect(await store.getPolicyVersion('2026-01')).toEqual(policyVersion('2026-01'));
    });

    it.each([
      ['is refused', false],
      ['is written but its answer is lost', true],
    ])('never makes a label current when its history write %s', async (_, applied) => {
      await setPolicyVersion({ version: 'V1', effectiveOn: '2026-01-01' }, 'admin-1', ports());
      const failing = withClient(async (command, send) => {
        if (command instanceof PutItemCommand && command.input.Item?.sk?.S === 'version#V2') {
          if (applied) await send();
          throw new Error('simulated DynamoDB failure');
        }
        return send();
      });

      await expect(
        setPolicyVersion({ version: 'V2', effectiveOn: '2026-02-01' }, 'admin-1', { store: failing, clock }),
      ).rejects.toThrow('simulated DynamoDB failure');
      expect((await getCurrentPolicyVersion(ports())).version).toBe('V1');
      await expect(attest('nurse-1', 'V2', ports())).rejects.toMatchObject({ code: 'POLICY_VERSION_MISMATCH' });
      await setPolicyVersion({ version: 'V3', effectiveOn: '2026-03-01' }, 'admin-1', ports());

      const again = setPolicyVersion({ version: 'V2', effectiveOn: '2026-02-01' }, 'admin-1', ports());
      if (applied) {
        // The entry landed, so the label is spent: 409 even though V2 was never current.
        await expect(again).rejects.toMatchObject({ code: 'POLICY_VERSION_EXISTS', status: 409 });
      } else {
        // Nothing of V2 was stored and nobody could attest to it, so publishing it now is sound.
        await expect(again).resolves.toMatchObject({ version: 'V2' });
        expect(await hasCurrentAttestation('nurse-1', ports())).toBe(false);
      }
    });

    it('answers 409 POLICY_VERSION_EXISTS to a label published, replaced and published again', async () => {
      await setPolicyVersion({ version: 'V2', effectiveOn: '2026-02-01' }, 'admin-1', ports());
      await attest('nurse-1', 'V2', ports());
      await setPolicyVersion({ version: 'V3', effectiveOn: '2026-03-01' }, 'admin-1', ports());

      await expect(
        setPolicyVersion({ version: 'V2', effectiveOn: '2026-02-01' }, 'admin-1', ports()),
      ).rejects.toMatchObject({ code: 'POLICY_VERSION_EXISTS', status: 409 });
      expect(await hasCurrentAttestation('nurse-1', ports())).toBe(false);
    });

    it('records attestations with a TTL and an index entry per version; a new version makes them not current', async () => {
      await setPolicyVersion({ version: '2026-01', effectiveOn: '2026-01-01' }, 'admin-1', ports());
      const first = await attest('nurse-1', '2026-01', ports());
      clock.set('2026-03-11T09:00:00Z');
      expect(await attest('nurse-1', '2026-01', ports())).toEqual(first);
      await attest('billing-1', '2026-01', ports());

      const item = await rawItem('attestation#nurse-1', '2026-01');
      expect(item?.expiresAt).toEqual({ N: String(Date.parse('2032-03-10T09:00:00Z') / 1000) });
      expect(item?.kind).toEqual({ S: 'attestation#2026-01' });
      expect(await hasCurrentAttestation('nurse-1', ports())).toBe(true);
      expect((await listAttestations('2026-01', ports())).map((a) => a.userId)).toEqual(['billing-1', 'nurse-1']);

      await setPolicyVersion({ version: '2026-06', effectiveOn: '2026-06-01' }, 'admin-1', ports());
      expect(await hasCurrentAttestation('nurse-1', ports())).toBe(false);
      await expect(attest('nurse-1', '2026-01', ports())).rejects.toMatchObject({ code: 'POLICY_VERSION_MISMATCH' });
    });
  });

  describe('incidents', () => {
    it('moves through the workflow and is listed under its current status only', async () => {
      const ids = sequentialIds('inc');
      const report = (at: string) => {
        clock.set(at);
        return reportIncident(
          { kind: 'improper-disclosure', occurredOn: '2026-03-09', description: 'Letter sent to the wrong payer' },
          'billing-1',
          { store, clock, ids },
        );
      };
      await report('2026-03-10T09:00:00Z');
      await report('2026-03-10T10:00:00Z');
      await report('2026-03-10T11:00:00Z');
      await transitionIncident('inc-2', { to: 'investigating' }, 'privacy-1', ports());
      await transitionIncident('inc-1', { to: 'investigating' }, 'privacy-1', ports());
      await transitionIncident('inc-1', { to: 'closed', resolution: 'Payer confirmed deletion' }, 'privacy-1', ports());

      expect((await listIncidents('open', ports())).map((incident) => incident.id)).toEqual(['inc-3']);
      expect((await listIncidents('investigating', ports())).map((incident) => incident.id)).toEqual(['inc-2']);
      const [closed] = await listIncidents('closed', ports());
      expect(closed).toMatchObject({ id: 'inc-1', resolution: 'Payer confirmed deletion' });
      expect(closed?.history.map((change) => change.status)).toEqual(['open', 'investigating', 'closed']);
      await expect(transitionIncident('inc-1', { to: 'investigating' }, 'privacy-1', ports())).rejects.toMatchObject({
        code: 'INVALID_TRANSITION',
        status: 409,
      });
    });

    it('replaces an incident only from the expected status and never reuses an id', async () => {
      const incident = await reportIncident(
        { kind: 'other', occurredOn: '2026-03-10', description: 'x' },
        'nurse-1',
        ports(),
      );
      const moved = { ...incident, status: 'investigating' as const };

      expect(await store.updateIncident(moved, 'investigating')).toBe(false);
      expect(await store.updateIncident(moved, 'open')).toBe(true);
      expect(await store.updateIncident(moved, 'open')).toBe(false);
      await expect(store.createIncident(incident)).rejects.toThrow('already in use');
      expect((await rawItem(`incident#${incident.id}`, 'incident'))?.kind).toEqual({ S: 'incident#investigating' });
    });
  });

  describe('consents', () => {
    it('grants, covers, revokes once, and stops covering from the revocation day', async () => {
      const granted = await grantConsent(
        { patientScope: SCOPE, category: 'psychotherapy', useCases: ['record-summary'], grantedOn: '2026-03-01' },
        'nurse-1',
        ports(),
      );
      const coversOn = (day: string) =>
        consentCovers(SCOPE, 'psychotherapy', 'record-summary', new Date(`${day}T12:00:00Z`), ports());
      expect(await coversOn('2026-03-10')).toBe(true);

      await revokeConsent(SCOPE, granted.id, {}, 'privacy-1', ports());
      expect(await coversOn('2026-03-09')).toBe(true);
      expect(await coversOn('2026-03-10')).toBe(false);
      expect(await store.getConsent(SCOPE, granted.id)).toMatchObject({
        revokedOn: '2026-03-10',
        revokedBy: 'privacy-1',
      });
      await expect(revokeConsent(SCOPE, granted.id, {}, 'privacy-1', ports())).rejects.toMatchObject({
        code: 'CONSENT_ALREADY_REVOKED',
      });
    });

    it('revokes only an existing, unrevoked consent, and lists a scope by grant day', async () => {
      const revocation = { revokedOn: '2026-03-10', revokedBy: 'p', revokedAt: '2026-03-10T09:00:00.000Z' };
      expect(await store.revokeConsent(SCOPE, 'missing', revocation)).toBe(false);
      expect(await rawItem(`consent#${SCOPE}`, 'missing')).toBeUndefined();

      await store.createConsent(consent({ id: 'later', grantedOn: '2026-02-01' }));
      await store.createConsent(consent({ id: 'earlier', grantedOn: '2026-01-01' }));
      await store.createConsent(consent({ id: 'elsewhere', patientScope: 'scope-0002' }));
      expect(await store.revokeConsent(SCOPE, 'later', revocation)).toBe(true);
      expect(await store.revokeConsent(SCOPE, 'later', { ...revocation, revokedOn: '2026-03-11' })).toBe(false);

      const listed = await store.listConsents(SCOPE);
      expect(listed.map((granted) => [granted.id, granted.revokedOn])).toEqual([
        ['earlier', undefined],
        ['later', '2026-03-10'],
      ]);
    });
  });

  describe('reviews due and the decision', () => {
    it('finds reviews due from the stored inventory', async () => {
      await store.putModel(approvedModel({ id: 'late', nextReviewOn: '2026-03-01' }), undefined);
      await store.putModel(approvedModel({ id: 'soon', nextReviewOn: '2026-03-20' }), undefined);
      await store.putModel(approvedModel({ id: 'fine', nextReviewOn: '2026-12-31' }), undefined);

      expect(await findReviewsDue({ now: clock.now() }, { store })).toEqual([
        { modelId: 'late', dueOn: '2026-03-01', reason: 'review-overdue' },
        { modelId: 'soon', dueOn: '2026-03-20', reason: 'review-due' },
      ]);
    });

    it('decides from the stored records, and a retirement or revocation applies at once', async () => {
      await store.putModel(
        approvedModel({ permittedDataCategories: ['clinical', 'psychotherapy'], nextReviewOn: '2026-12-31' }),
        undefined,
      );
      await setPolicyVersion({ version: '2026-01', effectiveOn: '2026-01-01' }, 'admin-1', ports());
      await attest('physician-1', '2026-01', ports());
      const granted = await grantConsent(
        { patientScope: SCOPE, category: 'psychotherapy', useCases: ['record-summary'], grantedOn: '2026-03-01' },
        'nurse-1',
        ports(),
      );
      const decide = () =>
        decideModelUse(
          {
            useCase: 'record-summary',
            requestedCategories: ['clinical', 'psychotherapy'],
            userId: 'physician-1',
            patientScope: SCOPE,
            now: clock.now(),
          },
          { store },
        );

      expect(await decide()).toMatchObject({ categories: ['clinical', 'psychotherapy'], excluded: [] });
      await revokeConsent(SCOPE, granted.id, {}, 'privacy-1', ports());
      expect(await decide()).toMatchObject({ categories: ['clinical'], excluded: ['psychotherapy'] });
      const stored = await store.getModel('claude-bedrock');
      if (!stored) throw new Error('expected the model');
      await store.putModel({ ...stored, status: 'retired', version: 2 }, 1);
      await expect(decide()).rejects.toMatchObject({ code: 'MODEL_NOT_APPROVED' });
    });
  });
});
