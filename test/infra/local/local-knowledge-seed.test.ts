import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestFiles, knowledgeFiles } from '../../../infra/local/local-knowledge-seed.ts';
import { pdfDocument } from '../../support/pdf-document.ts';
import { type RunningSystem, startRunningSystem } from '../../support/running-system.ts';

const FRONT_MATTER = [
  '---',
  'title: Needle disposal',
  'owner: practice-manager',
  'audience: staff',
  'effectiveOn: 2026-01-01',
  'reviewOn: 2027-01-01',
  'version: 1',
  '---',
  '',
].join('\n');

describe('ingesting a folder of documents, PDFs included', () => {
  let system: RunningSystem;
  let folder: string;

  beforeAll(async () => {
    system = await startRunningSystem();
    folder = await mkdtemp(join(tmpdir(), 'cag-kb-'));
    await writeFile(
      join(folder, 'sharps.pdf'),
      pdfDocument([['Needle disposal', 'Used needles go into the red container in each exam room.']]),
    );
    await writeFile(join(folder, 'sharps.pdf.md'), FRONT_MATTER);
    await writeFile(join(folder, 'orphan.pdf'), pdfDocument([['A handout without metadata']]));
    await writeFile(
      join(folder, 'parking.md'),
      `${FRONT_MATTER.replace('Needle disposal', 'Parking')}# Parking\n\nLot B.`,
    );
  });
  afterAll(async () => {
    await system?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('lists PDFs but not their metadata files as documents', async () => {
    const files = await knowledgeFiles([folder]);
    expect(files.map((file) => file.slice(folder.length + 1))).toEqual(['orphan.pdf', 'parking.md', 'sharps.pdf']);
  });

  it('ingests a PDF with its sidecar front matter, and refuses one without', async () => {
    const result = await ingestFiles(await knowledgeFiles([folder]), 'test', system.runtime.ports);

    expect(result.refused.map((entry) => entry.code)).toEqual(['PDF_METADATA_MISSING']);
    expect(result.ingested).toEqual(['parking', 'sharps']);
    expect(result.refused).toEqual([{ file: join(folder, 'orphan.pdf'), code: 'PDF_METADATA_MISSING' }]);
    const document = await system.runtime.ports.knowledgeStore.getDocument('sharps');
    expect(document).toMatchObject({ title: 'Needle disposal', format: 'pdf' });
    const chunks = await system.runtime.ports.knowledgeStore.listChunks();
    expect(
      chunks
        .filter((chunk) => chunk.documentId === 'sharps')
        .map((chunk) => chunk.text)
        .join(' '),
    ).toContain('red container in each exam room');
  });
});
