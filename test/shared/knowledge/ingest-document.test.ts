import { describe, expect, it } from 'vitest';
import { InMemoryVectorIndex } from '../../../shared/adapters/local/in-memory-vector-index.ts';
import { NotFound, ValidationFailed } from '../../../shared/errors/domain-errors.ts';
import { chunkDocument } from '../../../shared/knowledge/chunk-document.ts';
import { HybridRetriever } from '../../../shared/knowledge/hybrid-retriever.ts';
import { deleteDocument, ingestDocument } from '../../../shared/knowledge/ingest-document.ts';
import { DeidentificationFailed } from '../../../shared/phi/deidentification-errors.ts';
import type { PhiDetector } from '../../../shared/ports/phi-detector.ts';
import { pdfDocument } from '../../support/pdf-document.ts';
import { detectorFlagging, documentInput, fixedClock, RecordingIndex, RecordingStore } from './knowledge-fakes.ts';

const clock = fixedClock('2026-03-10T09:00:00Z');
const HANDBOOK =
  '# Refills\n\nThe refill nurse works the pool three times a day.\n\n## Escalation\n\nCall the on-call physician.';

function ports(detector: PhiDetector = detectorFlagging('Dr. Alvarez').detector) {
  return { detector, store: new RecordingStore(), index: new RecordingIndex(), clock };
}

describe('ingestDocument', () => {
  it('refuses PHI hidden behind HTML character references, which the stored text would decode', async () => {
    const p = ports();
    const html = '<h1>Billing</h1><p>Questions go to Dr&#46; Alvarez in the back office.</p>';

    const failure = await ingestDocument(documentInput({ format: 'html', content: html }), 'user-42', p).catch(
      (error: unknown) => error,
    );

    expect(failure).toMatchObject({
      code: 'DOCUMENT_CONTAINS_PHI',
      details: { entities: [expect.objectContaining({ field: 'content', chunk: 0, type: 'NAME' })] },
    });
    expect(p.store.calls).toEqual([]);
  });

  it('ingests a PDF as its extracted text, scanned and chunked like any document, keeping format pdf', async () => {
    const { detector, scanned } = detectorFlagging('Dr. Alvarez');
    const p = ports(detector);
    const pdf = pdfDocument([['Refills'], ['The refill nurse works the pool three times a day.']]);
    const input = documentInput({ format: 'pdf', content: pdf.toString('base64') });

    const document = await ingestDocument(input, 'user-42', p);

    expect(scanned.slice(0, 2)).toEqual([input.title, 'Refills\n\nThe refill nurse works the pool three times a day.']);
    expect(document.format).toBe('pdf');
    const stored = await p.store.listChunks();
    expect(stored.map((chunk) => chunk.text).join(' ')).toContain('three times a day');
  });

  it('refuses a PDF whose text holds PHI and stores nothing of it', async () => {
    const p = ports();
    const pdf = pdfDocument([['Escalate to Dr. Alvarez on call.']]);

    const failure = await ingestDocument(
      documentInput({ format: 'pdf', content: pdf.toString('base64') }),
      'user-42',
      p,
    ).catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: 'DOCUMENT_CONTAINS_PHI' });
    expect(p.store.calls).toEqual([]);
  });

  it('embeds once at ingest and stores each vector beside its chunk, so an index built later embeds nothing', async () => {
    const embedded: string[] = [];
    const embedder = {
      name: 'counting',
      model: 'counting/2',
      dimensions: 2,
      embed: async (texts: readonly string[]) => {
        embedded.push(...texts);
        return texts.map(() => Float32Array.of(1, 0));
      },
    };
    const retriever = () => new HybridRetriever({ vector: { embedder, index: new InMemoryVectorIndex(2) } });
    const store = new RecordingStore();

    await ingestDocument(documentInput({ content: HANDBOOK }), 'user-42', {
      detector: detectorFlagging('nobody').detector,
      store,
      index: retriever(),
      clock,
    });
    const stored = await store.listChunks();
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((chunk) => chunk.embedding?.model === 'counting/2')).toBe(true);
    expect(embedded).toHaveLength(stored.length);

    await retriever().upsert(stored);
    expect(embedded).toHaveLength(stored.length);
  });

  it('scans the title and the whole content, then stores the document and its chunks and indexes them', async () => {
    const { detector, scanned } = detectorFlagging('Dr. Alvarez');
    const p = ports(detector);
    const input = documentInput({ content: HANDBOOK });

    const document = await ingestDocument(input, 'user-42', p);

    // The submission first, then every stored chunk text (markup removed, references decoded).
    expect(scanned).toEqual([input.title, HANDBOOK, ...chunkDocument(input).map((chunk) => chunk.text)]);
    const chunks = chunkDocument(input);
    expect(document).toEqual({
      documentId: 'refill-protocol',
      title: 'Medication refill protocol',
      owner: 'medical-director',
      audience: 'staff',
      effectiveOn: '2026-01-01',
      reviewOn: '2027-01-01',
      version: '1',
      format: 'markdown',
      chunkCount: 2,
      ingestedAt: '2026-03-10T09:00:00.000Z',
      ingestedBy: 'user-42',
    });
    expect(p.store.documents.get('refill-protocol')).toEqual({ document, chunks });
    expect(p.index.byDocument.get('refill-protocol')).toEqual(chunks);
    expect([...p.store.calls, ...p.index.calls]).toEqual(['put:refill-protocol', 'upsert:2']);
  });

  it('rejects a document with PHI with offsets and types only, and stores and indexes nothing', async () => {
    const p = ports();
    const content = `${HANDBOOK}\n\nQuestions go to Dr. Alvarez.`;
    const error = await ingestDocument(documentInput({ content }), 'user-42', p).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ValidationFailed);
    const failure = error as ValidationFailed;
    expect(failure.code).toBe('DOCUMENT_CONTAINS_PHI');
    const begin = content.indexOf('Dr. Alvarez');
    expect(failure.details).toEqual({ entities: [{ field: 'content', begin, end: begin + 11, type: 'NAME' }] });
    expect(JSON.stringify(failure.details)).not.toContain('Alvarez');
    expect(failure.message).not.toContain('Alvarez');
    expect(p.store.calls).toEqual([]);
    expect(p.index.calls).toEqual([]);
  });

  it('rejects PHI in the title too, naming the field', async () => {
    const p = ports();
    const error = await ingestDocument(documentInput({ title: 'Dr. Alvarez refill rules' }), 'user-42', p).catch(
      (caught: unknown) => caught,
    );
    expect((error as ValidationFailed).details).toEqual({
      entities: [{ field: 'title', begin: 0, end: 11, type: 'NAME' }],
    });
    expect(p.store.calls).toEqual([]);
  });

  it('fails closed, storing nothing, when the detector fails', async () => {
    const p = ports({
      name: 'broken',
      detect: async () => {
        throw new Error('detector down');
      },
    });
    await expect(ingestDocument(documentInput(), 'user-42', p)).rejects.toBeInstanceOf(DeidentificationFailed);
    expect(p.store.calls).toEqual([]);
    expect(p.index.calls).toEqual([]);
  });

  it('rejects a document with no text left once markup is removed', async () => {
    const p = ports();
    await expect(
      ingestDocument(documentInput({ format: 'html', content: '<div><script>x()</script></div>' }), 'user-42', p),
    ).rejects.toMatchObject({ code: 'DOCUMENT_HAS_NO_TEXT' });
    expect(p.store.calls).toEqual([]);
  });

  it('replaces the document on re-ingest, so old text is neither stored nor found', async () => {
    const p = { ...ports(), index: new HybridRetriever() };
    await ingestDocument(documentInput({ content: HANDBOOK, version: '1' }), 'user-42', p);
    const revised = '# Refills\n\nThe refill nurse works the pool twice a day.';
    const document = await ingestDocument(documentInput({ content: revised, version: '2' }), 'user-7', p);

    expect(document).toMatchObject({ version: '2', chunkCount: 1, ingestedBy: 'user-7' });
    expect(p.store.documents.get('refill-protocol')?.chunks.map((entry) => entry.text)).toEqual([
      'The refill nurse works the pool twice a day.',
    ]);
    expect(p.index.size).toBe(1);
    expect(await p.index.search('on-call physician escalation', 5, { audiences: ['staff'] })).toEqual([]);
    expect((await p.index.search('twice', 5, { audiences: ['staff'] }))[0]?.chunk.version).toBe('2');
  });
});

describe('deleteDocument', () => {
  it('removes the document from the store and the index', async () => {
    const p = { ...ports(), index: new HybridRetriever() };
    await ingestDocument(documentInput({ content: HANDBOOK }), 'user-42', p);
    await ingestDocument(documentInput({ documentId: 'other', content: 'Refill pool notes.' }), 'user-42', p);

    await deleteDocument('refill-protocol', p);

    expect(await p.store.getDocument('refill-protocol')).toBeUndefined();
    expect(p.index.size).toBe(1);
    expect(
      (await p.index.search('refill pool', 5, { audiences: ['staff'] })).map((hit) => hit.chunk.documentId),
    ).toEqual(['other']);
  });

  it('fails with DOCUMENT_NOT_FOUND for an unknown document, after clearing it from the index anyway', async () => {
    const p = ports();
    const error = await deleteDocument('missing', p).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotFound);
    expect((error as NotFound).code).toBe('DOCUMENT_NOT_FOUND');
    expect(p.index.calls).toEqual(['remove:missing']);
  });
});
