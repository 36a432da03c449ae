/**
 * The local runtime's sample knowledge base: when no document has been ingested, the fictional, PHI-free
 * handbook in docs/examples/knowledge/ is, so the quick start answers staff questions and the patient FAQ.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { ValidationFailed } from '../../shared/errors/domain-errors.ts';
import { documentFromFile } from '../../shared/knowledge/front-matter.ts';
import { ingestDocument } from '../../shared/knowledge/ingest-document.ts';
import { type DocumentFormat, KnowledgeDocumentInput } from '../../shared/knowledge/knowledge-document.ts';
import { log } from '../../shared/observability/telemetry.ts';
import type { Ports } from '../../shared/runtime/ports.ts';

const FORMATS: Record<string, DocumentFormat> = {
  '.md': 'markdown',
  '.txt': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
};

/** A PDF cannot carry our front matter, so it sits beside the PDF: `handout.pdf` + `handout.pdf.md`. */
const PDF_METADATA_SUFFIX = '.pdf.md';

/** The document to ingest from one file: front matter and text, or for a PDF its sidecar and its bytes. */
async function documentOf(file: string, documentId: string, format: DocumentFormat): Promise<KnowledgeDocumentInput> {
  if (format !== 'pdf') return documentFromFile(documentId, format, await readFile(file, 'utf8'));
  const sidecar = await readFile(`${file}.md`, 'utf8').catch(() => undefined);
  if (sidecar === undefined) {
    throw new ValidationFailed(
      'PDF_METADATA_MISSING',
      `A PDF needs its front matter in a file named like the PDF plus .md`,
    );
  }
  // The sidecar's own body is ignored: the text is the PDF's.
  const metadata = documentFromFile(documentId, 'markdown', sidecar.replace(/\s*$/, '\n(metadata only)\n'));
  const parsed = KnowledgeDocumentInput.safeParse({
    ...metadata,
    format: 'pdf',
    content: (await readFile(file)).toString('base64'),
  });
  if (!parsed.success)
    throw new ValidationFailed('INVALID_DOCUMENT', 'The PDF is too large or its metadata is invalid');
  return parsed.data;
}

/** Document files (not READMEs) in a folder, or the file itself. */
export async function knowledgeFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const entries = await readdir(path, { withFileTypes: true }).catch(() => undefined);
    if (!entries) files.push(path);
    else
      for (const entry of entries) {
        const document = FORMATS[extname(entry.name)] && !entry.name.endsWith(PDF_METADATA_SUFFIX);
        if (entry.isFile() && document && !/^readme\./i.test(entry.name)) files.push(join(path, entry.name));
      }
  }
  return files.sort();
}

/** Ingests files through the same use case as the API (PHI scan first); returns what was ingested or refused. */
export async function ingestFiles(
  files: readonly string[],
  ingestedBy: string,
  ports: Ports,
): Promise<{ ingested: string[]; refused: { file: string; code: string }[] }> {
  const ingested: string[] = [];
  const refused: { file: string; code: string }[] = [];
  for (const file of files) {
    const format = FORMATS[extname(file)];
    const documentId = basename(file, extname(file))
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    try {
      if (!format) throw Object.assign(new Error('unsupported format'), { code: 'UNSUPPORTED_FORMAT' });
      const input = await documentOf(file, documentId, format);
      await ingestDocument(input, ingestedBy, {
        detector: ports.phiDetector,
        store: ports.knowledgeStore,
        index: await ports.knowledgeIndex.current(),
        clock: ports.clock,
      });
      ingested.push(documentId);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      refused.push({ file, code: typeof code === 'string' ? code : 'INGEST_FAILED' });
    }
  }
  return { ingested, refused };
}

export async function seedLocalKnowledge(ports: Ports, rootDir: string): Promise<void> {
  if ((await ports.knowledgeStore.listDocuments()).length > 0) return;
  const files = await knowledgeFiles([join(rootDir, 'docs/examples/knowledge')]);
  const { ingested, refused } = await ingestFiles(files, 'local-runtime-seed', ports);
  log.info('sample knowledge base ingested', { documents: ingested.length, refused: refused.length });
}
