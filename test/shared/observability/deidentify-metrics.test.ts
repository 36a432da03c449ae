import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricsScope } from '../../../shared/observability/telemetry.ts';
import { type RunningSystem, startRunningSystem } from '../../support/running-system.ts';

// Only identifiers and rare words: any 6-character window of it showing up in a metric would be a leak.
const NOTE =
  'Zebulon Quartermaine MRN 48213377 phoned from 617-555-0199 on 1953-04-17 at 12 Kestrel Lane Marblehead, ' +
  'email zq.kestrel@example.org, SSN 078-05-1120.';

function windows(text: string, size: number): string[] {
  const out: string[] = [];
  for (let start = 0; start + size <= text.length; start += 1) out.push(text.slice(start, start + size));
  return out;
}

describe('metrics of a de-identification request', () => {
  let system: RunningSystem;
  const lines: string[] = [];
  let removeSink: () => void;

  beforeAll(async () => {
    system = await startRunningSystem();
    removeSink = metricsScope.addSink((line) => lines.push(line));
  });
  afterAll(async () => {
    removeSink();
    await system.stop();
  });

  it('count the request per route, the entities per type and detector, and contain no substring of the text', async () => {
    // Act
    const response = await system.call('physician', 'POST', '/v1/deidentify', { text: NOTE, purpose: 'treatment' });

    // Assess
    expect(response.status).toBe(200);
    const emf = lines.join('\n');
    const documents = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(documents).toContainEqual(expect.objectContaining({ route: 'POST /v1/deidentify', Requests: 1 }));
    expect(documents.some((document) => 'PhiEntities' in document && document.entityType === 'NAME')).toBe(true);
    expect(documents.some((document) => 'DetectorCharacters' in document)).toBe(true);
    const leaked = windows(NOTE, 6).filter((window) => emf.includes(window));
    expect(leaked).toEqual([]);
  });
});
