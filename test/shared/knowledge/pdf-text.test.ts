import { describe, expect, it } from 'vitest';
import { ValidationFailed } from '../../../shared/errors/domain-errors.ts';
import { extractPdfText } from '../../../shared/knowledge/pdf-text.ts';
import { pdfDocument, pdfRepeatingText } from '../../support/pdf-document.ts';

const base64 = (bytes: Buffer) => bytes.toString('base64');

describe('extractPdfText', () => {
  it('reads the text layer, page by page, with a blank line between pages', async () => {
    const pdf = pdfDocument([['Vaccine storage', 'Keep vaccines between 2 and 8 degrees.'], ['Log the temperature.']]);

    expect(await extractPdfText(base64(pdf))).toBe(
      'Vaccine storage\nKeep vaccines between 2 and 8 degrees.\n\nLog the temperature.',
    );
  });

  it('stops reading and refuses a PDF whose text runs past the document limit', async () => {
    // 20,000 draws of 61 characters: 1.2 million characters from a file well under the size limit.
    const pdf = pdfRepeatingText('Keep the vaccine refrigerator between two and eight degrees.', 20_000);

    const failure = await extractPdfText(base64(pdf)).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ValidationFailed);
    expect(failure).toMatchObject({ code: 'DOCUMENT_TOO_LARGE' });
  });

  it.each([
    ['content that is not base64', 'not base64 at all!', 'INVALID_PDF'],
    ['base64 of something other than a PDF', Buffer.from('# Markdown, not a PDF').toString('base64'), 'INVALID_PDF'],
    ['a damaged PDF', base64(pdfDocument([['Some text']]).subarray(0, 120)), 'INVALID_PDF'],
    ['a PDF without a text layer', base64(pdfDocument([[]])), 'PDF_HAS_NO_TEXT'],
  ])('refuses %s with a stable code', async (_what, content, code) => {
    const failure = await extractPdfText(content).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ValidationFailed);
    expect(failure).toMatchObject({ code });
  });
});
