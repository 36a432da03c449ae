import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { Caller } from '../../../shared/identity/caller.ts';
import { assertScopeWritable, deidentify } from '../../../shared/phi/deidentify.ts';
import type { PhiSpan } from '../../../shared/phi/phi-types.ts';
import { reidentify } from '../../../shared/phi/reidentify.ts';
import { findTokens } from '../../../shared/phi/vault-token.ts';
import type { PanelDirectory } from '../../../shared/ports/panel-directory.ts';
import type { PhiDetector } from '../../../shared/ports/phi-detector.ts';
import type { TokenVault } from '../../../shared/ports/token-vault.ts';
import { inMemoryTokenVault } from '../../support/in-memory-token-vault.ts';

/** Flags digit runs and capitalised words after "Mr"/"Ms": enough structure for the invariants below. */
const patternDetector: PhiDetector = {
  name: 'pattern-fake',
  async detect(text) {
    const spans: PhiSpan[] = [];
    for (const match of text.matchAll(/\d{3,}|(?<=M[rs]\.? )[A-Z][a-z]+/g)) {
      spans.push({
        begin: match.index,
        end: match.index + match[0].length,
        type: /\d/.test(match[0]) ? 'ID' : 'NAME',
        score: 0.9,
      });
    }
    return spans;
  },
};

const ids = { next: () => 'fixed-id-0001' };
const noAudit = async () => undefined;
const ports = (
  overrides: { detector?: PhiDetector; vault?: TokenVault; beforeVaultWrite?: () => Promise<void> } = {},
) => ({
  detector: overrides.detector ?? patternDetector,
  vault: overrides.vault ?? inMemoryTokenVault(),
  ids,
  beforeVaultWrite: overrides.beforeVaultWrite ?? noAudit,
});

describe('deidentify', () => {
  it('replaces every detected span with a typed token and counts entities by type', async () => {
    const result = await deidentify({ items: [{ text: 'Mr. Smith, chart 88231, saw Ms Jones.' }] }, ports());

    expect(result.items[0]?.text).toMatch(/^Mr\. \[NAME_\w{6}\], chart \[ID_\w{6}\], saw Ms \[NAME_\w{6}\]\.$/);
    expect(result.entityCounts).toEqual({ NAME: 2, ID: 1 });
    expect(result.tokenCount).toBe(3);
    expect(result.patientScope).toBe('scope-fixed-id-0001');
  });

  it('keeps tokens consistent across the items of a scope', async () => {
    const vault = inMemoryTokenVault();
    const first = await deidentify(
      { items: [{ text: 'Ms Rivera called.' }], patientScope: 'patient-scope-1' },
      ports({ vault }),
    );
    const second = await deidentify(
      { items: [{ text: 'Spoke with Ms Rivera.' }], patientScope: 'patient-scope-1' },
      ports({ vault }),
    );
    expect(findTokens(first.items[0]?.text ?? '')[0]?.token).toBe(findTokens(second.items[0]?.text ?? '')[0]?.token);
  });

  it('fails closed when the detector throws: no text and nothing written', async () => {
    const vault = inMemoryTokenVault();
    const broken: PhiDetector = { name: 'broken', detect: () => Promise.reject(new Error('Comprehend throttled')) };
    await expect(
      deidentify({ items: [{ text: 'Mr. Smith' }] }, ports({ detector: broken, vault })),
    ).rejects.toMatchObject({
      code: 'DEID_FAILED',
      status: 503,
    });
    expect(vault.entries.size).toBe(0);
  });

  it('fails closed on malformed detector output (out of bounds or overlapping spans)', async () => {
    const outOfBounds: PhiDetector = {
      name: 'oob',
      detect: async () => [{ begin: 2, end: 99, type: 'NAME', score: 1 }],
    };
    const overlapping: PhiDetector = {
      name: 'overlap',
      detect: async () => [
        { begin: 0, end: 4, type: 'NAME', score: 1 },
        { begin: 2, end: 6, type: 'NAME', score: 1 },
      ],
    };
    for (const detector of [outOfBounds, overlapping]) {
      await expect(deidentify({ items: [{ text: 'abcdefgh' }] }, ports({ detector }))).rejects.toMatchObject({
        details: { reason: 'DETECTOR_INVALID_OUTPUT' },
      });
    }
  });

  it('writes nothing to the vault when the audit record before the write fails', async () => {
    const vault = inMemoryTokenVault();
    const tokenize = vi.spyOn(vault, 'tokenize');
    const auditDown = () => Promise.reject(new Error('bus down'));
    await expect(
      deidentify({ items: [{ text: 'Mr. Smith' }] }, ports({ vault, beforeVaultWrite: auditDown })),
    ).rejects.toThrow();
    expect(tokenize).not.toHaveBeenCalled();
  });

  it('fails closed when the vault fails', async () => {
    const vault: TokenVault = { ...inMemoryTokenVault(), tokenize: () => Promise.reject(new Error('throttled')) };
    await expect(deidentify({ items: [{ text: 'Mr. Smith' }] }, ports({ vault }))).rejects.toMatchObject({
      details: { reason: 'VAULT_FAILED' },
    });
  });
});

describe('assertScopeWritable', () => {
  const panel = (members: string[]): PanelDirectory => ({
    name: 'fake',
    isOnPanel: async (_, scope) => members.includes(scope),
    list: async () => members,
    add: async () => undefined,
    remove: async () => false,
  });
  const caller = (...roles: Caller['roles']): Caller => ({
    userId: 'u-1',
    username: 'u-1',
    roles,
    clientId: undefined,
    sourceIp: undefined,
  });

  it('lets every role de-identify into a new scope', async () => {
    for (const role of ['front-desk', 'admin', 'billing', 'physician'] as const) {
      await expect(assertScopeWritable(caller(role), undefined, panel([]))).resolves.toBeUndefined();
    }
  });

  it('refuses a named scope to a role that may not re-identify it', async () => {
    for (const role of ['front-desk', 'admin', 'billing'] as const) {
      await expect(
        assertScopeWritable(caller(role), 'scope-x1234567', panel(['scope-x1234567'])),
      ).rejects.toMatchObject({ code: 'SCOPE_NOT_PERMITTED', status: 403 });
    }
  });

  it('applies the panel rule of re-identification to a named scope', async () => {
    await expect(assertScopeWritable(caller('physician'), 'scope-x1234567', panel([]))).rejects.toMatchObject({
      code: 'NOT_ON_PANEL',
    });
    await expect(
      assertScopeWritable(caller('physician', 'front-desk'), 'scope-x1234567', panel([])),
    ).rejects.toMatchObject({ code: 'NOT_ON_PANEL' });
    await expect(
      assertScopeWritable(caller('physician'), 'scope-x1234567', panel(['scope-x1234567'])),
    ).resolves.toBeUndefined();
    for (const role of ['nurse', 'privacy-officer'] as const) {
      await expect(assertScopeWritable(caller(role), 'scope-x1234567', panel([]))).resolves.toBeUndefined();
    }
  });
});

describe('deidentify and reidentify together', () => {
  const text = fc.string({ unit: 'binary', maxLength: 300 });

  it('round-trip any text exactly', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (original) => {
        const vault = inMemoryTokenVault();
        const { items, patientScope } = await deidentify({ items: [{ text: original }] }, ports({ vault }));
        const restored = await reidentify(items[0]?.text ?? '', patientScope, { vault, beforeRelease: noAudit });
        expect(restored.text).toBe(original);
      }),
    );
  });

  it('leave no detected span in the output: only spans change, each into one token', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (original) => {
        const spans = await patternDetector.detect(original);
        const { items } = await deidentify({ items: [{ text: original }] }, ports());
        const output = items[0]?.text ?? '';
        const outside = (source: string, ranges: { begin: number; end: number }[]) => {
          let kept = '';
          let cursor = 0;
          for (const range of ranges) {
            kept += source.slice(cursor, range.begin);
            cursor = range.end;
          }
          return kept + source.slice(cursor);
        };
        expect(findTokens(output)).toHaveLength(spans.length);
        expect(outside(output, findTokens(output))).toBe(outside(original, spans));
      }),
    );
  });
});

describe('reidentify', () => {
  it('reports tokens unknown in the scope and leaves them in place', async () => {
    const vault = inMemoryTokenVault();
    const { items } = await deidentify(
      { items: [{ text: 'Mr. Smith' }], patientScope: 'patient-scope-a' },
      ports({ vault }),
    );
    const token = findTokens(items[0]?.text ?? '')[0]?.token ?? '';

    const elsewhere = await reidentify(`Note for ${token}`, 'patient-scope-b', { vault, beforeRelease: noAudit });
    expect(elsewhere).toEqual({ text: `Note for ${token}`, replacedCount: 0, unknownTokens: [token] });
  });

  it('releases nothing when the audit record fails', async () => {
    const vault = inMemoryTokenVault();
    const { items } = await deidentify(
      { items: [{ text: 'Mr. Smith' }], patientScope: 'patient-scope-a' },
      ports({ vault }),
    );
    const attempt = reidentify(items[0]?.text ?? '', 'patient-scope-a', {
      vault,
      beforeRelease: () => Promise.reject(new Error('bus down')),
    });
    await expect(attempt).rejects.toThrow('bus down');
  });
});
