/**
 * Text of a PDF practice document, through Mozilla's pdf.js (the `unpdf` build for serverless runtimes). Only the
 * text layer is read: a scanned PDF without one is refused rather than passed through OCR.
 */
import { getDocumentProxy } from 'unpdf';
import { ValidationFailed } from '../errors/domain-errors.ts';
import { MAX_DOCUMENT_CHARS } from './knowledge-document.ts';

/** More pages than any practice handout; a file claiming more is refused before its text is read. */
const MAX_PAGES = 500;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Pages joined by blank lines, so a page break separates paragraphs for the chunker. */
export async function extractPdfText(base64: string): Promise<string> {
  const compact = base64.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact)) {
    throw new ValidationFailed('INVALID_PDF', 'A PDF document must be sent as base64 in `content`');
  }
  const bytes = new Uint8Array(Buffer.from(compact, 'base64'));
  if (Buffer.from(bytes.subarray(0, 5)).toString('latin1') !== '%PDF-') {
    throw new ValidationFailed('INVALID_PDF', 'The content is not a PDF file');
  }
  const pages: string[] = [];
  let document: Awaited<ReturnType<typeof getDocumentProxy>> | undefined;
  try {
    try {
      document = await getDocumentProxy(bytes);
    } catch {
      // Damaged or password-protected files; pdf.js's message could quote the file, so it is not passed on.
      throw new ValidationFailed('INVALID_PDF', 'The PDF could not be read (damaged or password-protected)');
    }
    if (document.numPages > MAX_PAGES) {
      throw new ValidationFailed('DOCUMENT_TOO_LARGE', `A PDF may have at most ${MAX_PAGES} pages`);
    }
    // Page by page, streamed, stopping at the text limit: a small compressed file can expand into gigabytes of text.
    let characters = 0;
    for (let pageNumber = 1; pageNumber <= document.numPages; pageNumber++) {
      const page = await document.getPage(pageNumber);
      const reader = page.streamTextContent().getReader();
      let pageText = '';
      try {
        for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
          const items = (chunk.value as { items?: { str?: string; hasEOL?: boolean }[] }).items ?? [];
          for (const item of items) {
            const piece = `${item.str ?? ''}${item.hasEOL ? '\n' : ''}`;
            characters += piece.length;
            if (characters > MAX_DOCUMENT_CHARS) {
              throw new ValidationFailed(
                'DOCUMENT_TOO_LARGE',
                `The PDF's text exceeds ${MAX_DOCUMENT_CHARS} characters`,
              );
            }
            pageText += piece;
          }
        }
      } finally {
        await reader.cancel().catch(() => undefined);
      }
      if (pageText.trim() !== '') pages.push(pageText.trim());
    }
  } catch (error) {
    if (error instanceof ValidationFailed) throw error;
    throw new ValidationFailed('INVALID_PDF', 'The PDF could not be read (damaged or password-protected)');
  } finally {
    // Frees the parsed pages and fonts; the document holds no file or network handle to close.
    await document?.cleanup().catch(() => undefined);
  }
  const text = pages.join('\n\n');
  if (text === '') {
    throw new ValidationFailed('PDF_HAS_NO_TEXT', 'The PDF has no text layer (a scan?); submit a text or OCR-ed PDF');
  }
  return text;
}
