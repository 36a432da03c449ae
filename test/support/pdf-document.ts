/** Builds small, valid PDF files (Helvetica text, one string per line) for tests of PDF ingest. */

/** Escapes the characters PDF string literals reserve. */
function pdfString(text: string): string {
  return `(${text.replace(/[()\\]/g, (character) => `\\${character}`)})`;
}

/** A PDF with one page per entry, each page's lines drawn top to bottom; an empty page has no text layer. */
export function pdfDocument(pages: readonly (readonly string[])[]): Buffer {
  return pdfOfContentStreams(
    pages.map((lines) =>
      ['BT', '/F1 12 Tf', '72 720 Td', '14 TL', ...lines.map((line) => `${pdfString(line)} Tj T*`), 'ET'].join('\n'),
    ),
  );
}

/** One page drawing `text` `times` times at the same spot: text that stays on the page however much there is. */
export function pdfRepeatingText(text: string, times: number): Buffer {
  const draw = `1 0 0 1 72 400 Tm ${pdfString(text)} Tj`;
  return pdfOfContentStreams([['BT', '/F1 12 Tf', ...Array.from({ length: times }, () => draw), 'ET'].join('\n')]);
}

function pdfOfContentStreams(streams: readonly string[]): Buffer {
  const objects: string[] = ['', '', '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'];
  const pageIds: number[] = [];
  for (const stream of streams) {
    objects.push(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
    const contentId = objects.length;
    objects.push(
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> ' +
        `/Contents ${contentId} 0 R >>`,
    );
    pageIds.push(objects.length);
  }
  objects[0] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[1] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageIds.length} >>`;

  let file = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(file, 'latin1'));
    file += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(file, 'latin1');
  file += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  file += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  file += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(file, 'latin1');
}
