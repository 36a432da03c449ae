/**
 * Text of a PDF practice document, through Mozilla's pdf.js (the `unpdf` build for serverless runtimes). Only the
 * text layer is read: a scanned PDF without one is refused rather than passed through OCR.
 */
import { extractText, getDocumentProxy } from 'unpdf';
import { ValidationFailed } from '../errors/domain-errors.ts';

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
  let pages: string[];
  try {
    const document = await getDocumentProxy(bytes);
    pages = (await extractText(document, { mergePages: false })).text;
  } catch {
    // Damaged or password-protected files; pdf.js's message could quote the file, so it is not passed on.
    throw new ValidationFailed('INVALID_PDF', 'The PDF could not be read (damaged or password-protected)');
  }
  const text = pages
    .map((page) => page.trim())
    .filter((page) => page !== '')
    .join('\n\n');
  if (text === '') {
    throw new ValidationFailed('PDF_HAS_NO_TEXT', 'The PDF has no text layer (a scan?); submit a text or OCR-ed PDF');
  }
  return text;
}
