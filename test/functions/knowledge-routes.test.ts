import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OfflineModelClient } from '../../shared/adapters/local/offline-model-client.ts';
import { DONT_KNOW } from '../../shared/knowledge/answer-question.ts';
import { FAQ_SAFE_REPLIES } from '../../shared/knowledge/faq-guard.ts';
import { type RunningSystem, startRunningSystem } from '../support/running-system.ts';

const document = (overrides: Record<string, unknown> = {}) => ({
  documentId: 'needle-disposal',
  title: 'Needle disposal',
  owner: 'practice-manager',
  audience: 'staff',
  effectiveOn: '2026-01-01',
  reviewOn: '2027-01-01',
  version: '1',
  format: 'markdown',
  content:
    '# Needle disposal\n\nUsed needles go into the red container in each exam room. Replace the container when it is three quarters full.',
  ...overrides,
});

describe('knowledge base through the running system', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startRunningSystem();
    await system.call('nurse', 'POST', '/v1/attestations', { policyVersion: 'local-dev-1' });
  });
  afterAll(async () => system?.stop());

  it('starts with the sample handbook ingested', async () => {
    const listed = await system.call('nurse', 'GET', '/v1/knowledge/documents');
    expect((listed.body.documents as unknown[]).length).toBeGreaterThanOrEqual(10);
  });

  it('rejects a document containing PHI with the entity list, and stores nothing of it', async () => {
    const phi = document({
      documentId: 'bad-doc',
      content: '# Note\n\nCall Mrs. Jane Roe at 617-555-0199 about her MRN 4471902.',
    });
    const response = await system.call('admin', 'POST', '/v1/knowledge/documents', phi);
    expect(response.status).toBe(400);
    expect(response.body.error?.code).toBe('DOCUMENT_CONTAINS_PHI');
    expect(JSON.stringify(response.body)).not.toContain('Jane');
    const entities = (response.body.error as unknown as { entities: { type: string }[] }).entities;
    expect(entities.map((entity) => entity.type)).toEqual(expect.arrayContaining(['PHONE']));
    const listed = await system.call('admin', 'GET', '/v1/knowledge/documents');
    expect((listed.body.documents as { documentId: string }[]).map((d) => d.documentId)).not.toContain('bad-doc');
  });

  it('ingests, re-ingests (replacing the chunks) and deletes a document', async () => {
    expect((await system.call('admin', 'POST', '/v1/knowledge/documents', document())).status).toBe(201);
    const first = await system.call('nurse', 'GET', '/v1/knowledge/search?q=needles%20container%20three%20quarters');
    expect((first.body.hits as { chunk: { documentId: string } }[])[0]?.chunk.documentId).toBe('needle-disposal');

    const replaced = document({
      version: '2',
      content: '# Needle disposal\n\nNeedles go into the yellow bin by the sink.',
    });
    expect((await system.call('admin', 'POST', '/v1/knowledge/documents', replaced)).status).toBe(201);
    const second = await system.call('nurse', 'GET', '/v1/knowledge/search?q=needles%20yellow%20bin');
    const texts = (second.body.hits as { chunk: { documentId: string; text: string } }[])
      .filter((hit) => hit.chunk.documentId === 'needle-disposal')
      .map((hit) => hit.chunk.text);
    expect(texts.join(' ')).toContain('yellow bin');
    expect(texts.join(' ')).not.toContain('three quarters');

    expect((await system.call('nurse', 'POST', '/v1/knowledge/documents', document())).status).toBe(403);
    expect((await system.call('admin', 'DELETE', '/v1/knowledge/documents/needle-disposal')).status).toBe(200);
    const gone = await system.call('nurse', 'GET', '/v1/knowledge/search?q=needles%20yellow%20bin');
    expect((gone.body.hits as { chunk: { documentId: string } }[]).map((hit) => hit.chunk.documentId)).not.toContain(
      'needle-disposal',
    );
    expect((await system.call('admin', 'DELETE', '/v1/knowledge/documents/needle-disposal')).status).toBe(404);
  });

  it('refuses the vector backfill with EMBEDDINGS_DISABLED on the lexical-only local index, and to non-admins', async () => {
    const refused = await system.call('admin', 'POST', '/v1/knowledge/reembed');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: 'EMBEDDINGS_DISABLED' } });
    expect((await system.call('nurse', 'POST', '/v1/knowledge/reembed')).status).toBe(403);
  });

  it('answers a staff question with citations that point at retrieved chunks', async () => {
    const response = await system.call('nurse', 'POST', '/v1/knowledge/ask', {
      question: 'What do we do when the vaccine refrigerator temperature goes out of range?',
    });
    expect(response.status).toBe(200);
    expect(response.body.answered).toBe(true);
    const citations = response.body.citations as { chunkId: string; documentId: string; headingPath: string[] }[];
    expect(citations.length).toBeGreaterThan(0);
    const search = await system.call(
      'nurse',
      'GET',
      '/v1/knowledge/search?q=vaccine%20refrigerator%20temperature&limit=20',
    );
    const known = new Set((search.body.hits as { chunk: { chunkId: string } }[]).map((hit) => hit.chunk.chunkId));
    for (const citation of citations) expect(citation.chunkId).toMatch(/^[a-z0-9-]+:[0-9a-f]{12}$/);
    expect(citations.some((citation) => known.has(citation.chunkId))).toBe(true);
  });

  it('says it does not know, without calling a model, when nothing relevant is retrieved', async () => {
    const offline = system.runtime.ports.modelClients.offline as OfflineModelClient;
    const complete = vi.spyOn(offline, 'complete');
    const response = await system.call('nurse', 'POST', '/v1/knowledge/ask', {
      question: 'xylophone zeppelin quokka?',
    });
    expect(response.body).toMatchObject({ answered: false, answer: DONT_KNOW, citations: [] });
    expect(complete).not.toHaveBeenCalled();
    complete.mockRestore();
  });

  describe('the public patient FAQ', () => {
    it('answers an administrative question from public documents only, without a login', async () => {
      const response = await system.call(undefined, 'POST', '/v1/public/faq', {
        message: 'Where can I park when I visit?',
      });
      expect(response.status).toBe(200);
      expect(response.body.refused).toBe(false);
      expect(String(response.body.disclaimer)).not.toBe('');
      const citations = response.body.citations as { documentId: string }[];
      expect(citations.length).toBeGreaterThan(0);
      const documents = (await system.call('nurse', 'GET', '/v1/knowledge/documents')).body.documents as {
        documentId: string;
        audience: string;
      }[];
      const audienceOf = new Map(documents.map((d) => [d.documentId, d.audience]));
      for (const citation of citations) expect(audienceOf.get(citation.documentId)).toBe('public');
    });

    it.each([
      ['a message with PHI', 'Hi, this is Maria Gonzalez, DOB 04/12/1958, when are you open?', 'contains-phi'],
      ['a clinical question', 'Can I take ibuprofen with my blood pressure pills?', 'clinical-question'],
      ['an emergency', 'My chest hurts and my left arm is numb', 'emergency'],
    ])('answers %s with the fixed safe reply, storing nothing and calling no model', async (_, message, reason) => {
      const offline = system.runtime.ports.modelClients.offline as OfflineModelClient;
      const complete = vi.spyOn(offline, 'complete');
      const auditBefore = system.audit.length;
      const response = await system.call(undefined, 'POST', '/v1/public/faq', { message });
      expect(response.body).toMatchObject({ refused: true, reason, answer: FAQ_SAFE_REPLIES[reason as 'emergency'] });
      expect(complete).not.toHaveBeenCalled();
      expect(system.audit.length).toBe(auditBefore);
      complete.mockRestore();
    });

    it('is throttled on its own: a burst gets 429 TOO_MANY_REQUESTS', async () => {
      const statuses: number[] = [];
      for (let n = 0; n < 12; n++) {
        statuses.push(
          (await system.call(undefined, 'POST', '/v1/public/faq', { message: 'What are your hours?' })).status,
        );
      }
      expect(statuses).toContain(429);
    });
  });
});
