import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LocalTokenMac } from '../../../shared/adapters/local/local-token-mac.ts';
import type { DraftRequest } from '../../../shared/drafts/draft-requests.ts';
import { requestHashOf } from '../../../shared/drafts/request-draft.ts';

const request = {
  useCase: 'soap-note',
  purpose: 'treatment',
  patientScope: 'scope-0001',
  idempotencyKey: 'visit-2026-03-02',
  input: { notes: 'Jane Roe reports a cough.' },
} as DraftRequest;
const caller = { userId: 'local-dr.lee' };

describe('requestHashOf', () => {
  it('is a keyed MAC: stable under one key, different under another, and not a plain hash of the input', async () => {
    const key = new LocalTokenMac(randomBytes(32));
    const first = await requestHashOf(caller, request, key);

    expect(await requestHashOf(caller, request, key)).toBe(first);
    expect(await requestHashOf(caller, request, new LocalTokenMac(randomBytes(32)))).not.toBe(first);
    const plain = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    expect(first).not.toBe(plain);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with the input, the patient scope and the requester', async () => {
    const key = new LocalTokenMac(randomBytes(32));
    const base = await requestHashOf(caller, request, key);
    const other = (changes: Partial<Record<string, unknown>>) =>
      requestHashOf(caller, { ...request, ...changes } as DraftRequest, key);

    expect(await other({ input: { notes: 'Jane Roe reports a fever.' } })).not.toBe(base);
    expect(await other({ patientScope: 'scope-0002' })).not.toBe(base);
    expect(await requestHashOf({ userId: 'local-rn.kim' }, request, key)).not.toBe(base);
  });
});
