import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setUpDetectors } from '../../bench/deid/bench-detectors.ts';

describe('setUpDetectors', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'deid-detectors-'));
  });

  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('skips every detector whose module is absent, naming the missing file', async () => {
    const setups = await setUpDetectors(root);

    expect(setups).toEqual([
      { status: 'skipped', name: 'local', reason: 'shared/adapters/local/local-phi-detector.ts not found' },
      {
        status: 'skipped',
        name: 'comprehend-simulated',
        reason: 'shared/adapters/aws/comprehend-medical-detector.ts not found',
      },
      { status: 'skipped', name: 'ensemble', reason: 'shared/phi/ensemble-detector.ts not found' },
    ]);
  });

  it('loads a module that exists and skips one that exports the wrong thing or fails to load', async () => {
    mkdirSync(join(root, 'shared/adapters/local'), { recursive: true });
    mkdirSync(join(root, 'shared/adapters/aws'), { recursive: true });
    writeFileSync(
      join(root, 'shared/adapters/local/local-phi-detector.ts'),
      `export class LocalPhiDetector {
        name = 'fake-local';
        detectSync(text) { return text.startsWith('Ana') ? [{ begin: 0, end: 3, type: 'NAME', score: 1 }] : []; }
        async detect(text) { return this.detectSync(text); }
      }`,
    );
    writeFileSync(join(root, 'shared/adapters/aws/comprehend-medical-detector.ts'), 'export const nothing = 1;');

    const setups = await setUpDetectors(root);

    const [local, comprehend, ensemble] = setups;
    expect(local?.status).toBe('ready');
    if (local?.status === 'ready') {
      expect(await local.detector.detect('Ana was seen')).toEqual([{ begin: 0, end: 3, type: 'NAME', score: 1 }]);
      expect(local.detector.detectSync?.('Ana')).toHaveLength(1);
      expect(local.detector.simulated).toBe(false);
    }
    expect(comprehend).toMatchObject({
      status: 'skipped',
      reason: expect.stringMatching(/does not export ComprehendMedicalDetector/),
    });
    expect(ensemble).toMatchObject({ status: 'skipped' });
  });
});
