/** The practice's own documents for retrieval: what a document and a chunk are, and who may read them. */
import { z } from 'zod';

/** `public` documents may answer the unauthenticated patient FAQ; `staff` ones only signed-in staff. */
export const Audience = z.enum(['staff', 'public']);
export type Audience = z.infer<typeof Audience>;

/** `pdf` arrives base64-encoded in `content`; its text layer is extracted before scanning and chunking. */
export const DocumentFormat = z.enum(['markdown', 'text', 'html', 'pdf']);
export type DocumentFormat = z.infer<typeof DocumentFormat>;

export const DocumentId = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
  .max(100);

/** Amazon Titan Text Embeddings V2: the embedding model the hybrid retriever uses in AWS. */
export const TITAN_EMBEDDINGS_MODEL_ID = 'amazon.titan-embed-text-v2:0';

/** 1 MB of text per document keeps ingest inside one Lambda invocation and one PHI scan. */
export const MAX_DOCUMENT_CHARS = 1_000_000;
/** A 3 MB PDF in base64: inside Lambda's 6 MB synchronous payload with the rest of the request. */
export const MAX_PDF_BASE64_CHARS = 4_000_000;

/** The document's fields, before the per-format content limit (stored documents reuse these without content). */
export const KnowledgeDocumentFields = z
  .object({
    documentId: DocumentId,
    title: z.string().min(1).max(200),
    owner: z.string().min(1).max(128),
    audience: Audience,
    effectiveOn: z.iso.date(),
    reviewOn: z.iso.date(),
    version: z.string().regex(/^[A-Za-z0-9._-]{1,32}$/),
    format: DocumentFormat,
    content: z.string().min(1).max(MAX_PDF_BASE64_CHARS),
  })
  .strict();

export const KnowledgeDocumentInput = KnowledgeDocumentFields.refine(
  (input) => input.format === 'pdf' || input.content.length <= MAX_DOCUMENT_CHARS,
  {
    path: ['content'],
    message: `at most ${MAX_DOCUMENT_CHARS} characters of text`,
  },
);
export type KnowledgeDocumentInput = z.infer<typeof KnowledgeDocumentInput>;

/** A stored document's metadata (its text lives in its chunks). */
export type KnowledgeDocument = Omit<KnowledgeDocumentInput, 'content'> & {
  readonly chunkCount: number;
  readonly ingestedAt: string;
  readonly ingestedBy: string;
};

export interface KnowledgeChunk {
  /** Stable across re-ingests of unchanged text: derived from document id, heading path and content. */
  readonly chunkId: string;
  readonly documentId: string;
  readonly title: string;
  readonly audience: Audience;
  readonly version: string;
  /** Headings from the document root to this chunk, e.g. ["Medication refills", "Controlled substances"]. */
  readonly headingPath: readonly string[];
  readonly text: string;
  /** Position within the document. */
  readonly ordinal: number;
  /** The chunk's vector, computed once at ingest and stored beside it, so no cold start embeds it again. */
  readonly embedding?: ChunkEmbedding;
}

export interface ChunkEmbedding {
  /** The embedder that made it, with its dimensions (`Embedder.model`); another embedder's vector is not reused. */
  readonly model: string;
  readonly vector: Float32Array;
}

export interface SearchHit {
  readonly chunk: KnowledgeChunk;
  /** The fused score (reciprocal rank fusion when several retrievers run); higher is better. */
  readonly score: number;
  readonly lexicalRank?: number;
  readonly vectorRank?: number;
}
