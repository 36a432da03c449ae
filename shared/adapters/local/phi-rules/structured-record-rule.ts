// Finds identifiers in structured fragments pasted into notes: HL7 v2 segments (person names in caret-separated
// components, the SSN field of PID) and delimited tables whose header names the column ("name,dob,phone,mrn").
import type { PhiType } from '../../../phi/phi-types.ts';
import { inNameLists, lookupKey } from './name-word-class.ts';
import type { PhiRule, SpanSink } from './phi-rule.ts';
import { wordSet } from './word-set.ts';

/** HL7 segments whose fields hold people (patient, next of kin, visit, guarantor, insurance, orders). */
const HL7_PERSON_SEGMENT = /^(?:PID|NK1|PV1|PV2|GT1|IN1|IN2|ORC|OBR|OBX|PD1|MRG|ROL|TXA|AL1|DG1|EVN|SCH|AIP|PRD|CTD)\|/;
/** Codes that sit in caret components without being names ("^^^MERCY^MR", "^DR", "^L"). */
const HL7_CODES = wordSet('mr mrn pi ss dl pn an dr md rn np pa jr sr ii iii iv phd l d b a c m f u o');
const HL7_COMPONENTS = /[A-Za-z][A-Za-z'’ -]{0,40}(?:\^[A-Za-z][A-Za-z'’ -]{0,40}){1,4}/g;
/** PID fields that hold identifiers (HL7 v2.5 numbering: PID-3 patient id, PID-18 account, PID-19 SSN, PID-20 DL). */
const PID_FIELDS: ReadonlyMap<number, PhiType> = new Map<number, PhiType>([
  [2, 'MRN'],
  [3, 'MRN'],
  [4, 'MRN'],
  [18, 'ACCOUNT'],
  [19, 'SSN'],
  [20, 'LICENSE'],
]);

/**
 * Fields that hold people's names whatever the name lists say (HL7 v2.5 numbering): PID-5 patient, PID-6 mother's
 * maiden name, PID-9 alias, NK1-2 next of kin, GT1-3 guarantor, IN1-16 insured, PV1-7/8/9/17 and ORC, OBR, PD1,
 * TXA, ROL, AIP, PRD and EVN providers (XCN: an identifier, then family and given names).
 */
const HL7_NAME_FIELDS: ReadonlyMap<string, ReadonlySet<number>> = new Map([
  ['PID', new Set([5, 6, 9])],
  ['NK1', new Set([2])],
  ['GT1', new Set([3])],
  ['IN1', new Set([16])],
  ['PV1', new Set([7, 8, 9, 17])],
  ['ORC', new Set([10, 11, 12])],
  ['OBR', new Set([16, 28])],
  ['PD1', new Set([4])],
  ['MRG', new Set([7])],
  ['TXA', new Set([5, 9, 10, 11, 22])],
  ['ROL', new Set([4])],
  ['AIP', new Set([3])],
  ['PRD', new Set([2])],
  ['EVN', new Set([5])],
]);

/** Column headers and the type of the values under them; the first match wins. */
const COLUMN_TYPES: readonly (readonly [RegExp, PhiType])[] = [
  [/ssn|social/, 'SSN'],
  [/e-?mail/, 'EMAIL'],
  [/fax/, 'FAX'],
  [/phone|tel\b|mobile|cell|contact.?(?:no|number|#)/, 'PHONE'],
  [/mrn|medical.?record|chart|patient.?id|pt.?id/, 'MRN'],
  [/member|policy|subscriber.?id|insurance.?id|medicaid|medicare|mbi|group.?(?:no|number|#|id)/, 'HEALTH_PLAN'],
  [/account|acct|billing/, 'ACCOUNT'],
  [/npi|dea|licen[cs]e/, 'LICENSE'],
  [/\bvin\b|plate/, 'VEHICLE'],
  [/serial|udi|device.?id/, 'DEVICE'],
  [/\bip\b|ip.?address/, 'IP_ADDRESS'],
  [/url|website/, 'URL'],
  [/dob|birth|date|dos\b|admit|admission|discharge|death|dod\b|visit.?dt/, 'DATE'],
  [/zip|postal/, 'ZIP'],
  [/address|street|addr/, 'ADDRESS'],
  [/^city$|town|county/, 'LOCATION'],
  [/facility|hospital|clinic|practice|location/, 'FACILITY'],
  [/^age$/, 'AGE'],
  [/name|patient|provider|physician|doctor|attending|pcp|guarantor|contact|kin|guardian|spouse|parent/, 'NAME'],
  [/(?:^|[ _])id$|identifier|number|#/, 'ID'],
];

const MAX_CELL = 200;
const EMPTY_CELL = /^(?:|n\/?a|none|unknown|null|-+|\?)$/i;

interface Cell {
  readonly begin: number;
  readonly end: number;
}

/** Splits one line into cells, honouring double quotes around cells that contain the delimiter. */
function splitCells(text: string, begin: number, end: number, delimiter: string): Cell[] {
  const cells: Cell[] = [];
  let start = begin;
  let quoted = false;
  for (let i = begin; i < end; i += 1) {
    const c = text.charAt(i);
    if (c === '"') quoted = !quoted;
    else if (c === delimiter && !quoted) {
      cells.push({ begin: start, end: i });
      start = i + 1;
    }
  }
  cells.push({ begin: start, end });
  return cells;
}

/** The cell without surrounding spaces and quotes. */
function cellValue(text: string, cell: Cell): Cell {
  let { begin, end } = cell;
  while (begin < end && /[\s"']/.test(text.charAt(begin))) begin += 1;
  while (end > begin && /[\s"']/.test(text.charAt(end - 1))) end -= 1;
  return { begin, end };
}

function columnType(header: string): PhiType | undefined {
  const label = header.toLowerCase().replace(/["']/g, '').trim();
  if (label.length === 0 || label.length > 40 || /\d{3}/.test(label)) return undefined;
  return COLUMN_TYPES.find(([pattern]) => pattern.test(label))?.[1];
}

/** Header lines repeat (every row of a pasted table is tested as one); the types of a line are kept. */
const HEADER_CACHE_LIMIT = 1_000;
const headerCache = new Map<string, (PhiType | undefined)[]>();

function delimiterOf(line: string): string | undefined {
  for (const delimiter of ['\t', ',', '|', ';']) if (line.includes(delimiter)) return delimiter;
  return undefined;
}

/** A header line is short labels only: prose with commas has long cells, sentences or digits. */
function looksLikeHeader(line: string, delimiter: string): boolean {
  if (line.length > 400 || /\d{3}|[.!?] /.test(line)) return false;
  return line.split(delimiter).every((cell) => cell.length <= 40 && cell.trim().split(/\s+/).length <= 4);
}

function reportCell(text: string, cell: Cell, type: PhiType, report: SpanSink): void {
  const { begin, end } = cellValue(text, cell);
  if (end <= begin || end - begin > MAX_CELL) return;
  const value = text.slice(begin, end);
  if (EMPTY_CELL.test(value)) return;
  if (type === 'AGE' && !(Number(value) >= 90 && Number(value) <= 125)) return;
  if (type === 'NAME' && !/[A-Za-z]/.test(value)) return;
  report(begin, end, type, 0.8);
}

/** Every name component of an HL7 name field: letters only, not a code ("MD", "JR", "L"). */
function reportNameField(offset: number, value: string, report: SpanSink): void {
  let partBegin = 0;
  for (let i = 0; i <= value.length; i += 1) {
    const c = value.charAt(i);
    if (i < value.length && c !== '^' && c !== '~' && c !== '&') continue;
    const part = value.slice(partBegin, i);
    if (part.length >= 2 && /[A-Za-z]/.test(part) && !/\d/.test(part) && !HL7_CODES.has(part.toLowerCase())) {
      report(offset + partBegin, offset + i, 'NAME', 0.85);
    }
    partBegin = i + 1;
  }
}

function findHl7NameFields(lineBegin: number, line: string, report: SpanSink): void {
  const fields = HL7_NAME_FIELDS.get(line.slice(0, 3));
  if (fields === undefined) return;
  let field = 0;
  let fieldBegin = 4;
  for (let i = 4; i <= line.length; i += 1) {
    if (i < line.length && line.charAt(i) !== '|') continue;
    field += 1;
    if (fields.has(field)) reportNameField(lineBegin + fieldBegin, line.slice(fieldBegin, i), report);
    fieldBegin = i + 1;
  }
}

function findHl7(lineBegin: number, line: string, report: SpanSink): void {
  findHl7NameFields(lineBegin, line, report);
  HL7_COMPONENTS.lastIndex = 0;
  for (let match = HL7_COMPONENTS.exec(line); match !== null; match = HL7_COMPONENTS.exec(line)) {
    const parts = match[0].split('^');
    const names = parts.filter((part) => part.length >= 2 && !HL7_CODES.has(part.toLowerCase()));
    if (names.length < 2 || !names.some((part) => part.split(/[ -]/).some((w) => inNameLists(lookupKey(w))))) {
      continue;
    }
    let offset = lineBegin + match.index;
    for (const part of parts) {
      if (part.length >= 2 && !HL7_CODES.has(part.toLowerCase())) report(offset, offset + part.length, 'NAME', 0.85);
      offset += part.length + 1;
    }
  }
  if (!line.startsWith('PID|')) return;
  let field = 0;
  let fieldBegin = 4;
  for (let i = 4; i <= line.length; i += 1) {
    if (i < line.length && line.charAt(i) !== '|') continue;
    field += 1;
    const type = PID_FIELDS.get(field);
    if (type !== undefined) {
      // The identifier is the first component ("84421973^^^MERCY^MR").
      const caret = line.indexOf('^', fieldBegin);
      const end = caret >= 0 && caret < i ? caret : i;
      if (end - fieldBegin >= 3 && /\d/.test(line.slice(fieldBegin, end))) {
        report(lineBegin + fieldBegin, lineBegin + end, type, 0.9);
      }
    }
    fieldBegin = i + 1;
  }
}

function findStructuredRecords(text: string, report: SpanSink): void {
  let columns: (PhiType | undefined)[] | undefined;
  let delimiter = ',';
  for (let lineBegin = 0; lineBegin <= text.length; ) {
    let lineEnd = text.indexOf('\n', lineBegin);
    if (lineEnd < 0) lineEnd = text.length;
    const contentEnd = text.charAt(lineEnd - 1) === '\r' ? lineEnd - 1 : lineEnd;
    // Very long lines are prose or data blobs, not table rows; they end any table.
    const line = contentEnd - lineBegin <= 4000 ? text.slice(lineBegin, contentEnd) : '';
    if (HL7_PERSON_SEGMENT.test(line)) {
      findHl7(lineBegin, line, report);
      columns = undefined;
    } else if (columns !== undefined && line.includes(delimiter)) {
      const cells = splitCells(text, lineBegin, contentEnd, delimiter);
      if (cells.length === columns.length) {
        cells.forEach((cell, index) => {
          const type = columns?.[index];
          if (type !== undefined) reportCell(text, cell, type, report);
        });
      } else columns = undefined;
    } else {
      columns = undefined;
      const candidate = line.length <= 400 ? delimiterOf(line) : undefined;
      if (candidate !== undefined && looksLikeHeader(line, candidate)) {
        let headers = headerCache.get(line);
        if (headers === undefined) {
          headers = splitCells(text, lineBegin, contentEnd, candidate).map((cell) => {
            const { begin, end } = cellValue(text, cell);
            return columnType(text.slice(begin, end));
          });
          if (headerCache.size >= HEADER_CACHE_LIMIT) headerCache.clear();
          headerCache.set(line, headers);
        }
        if (headers.filter((type) => type !== undefined).length >= 1 && headers.length >= 2) {
          columns = headers;
          delimiter = candidate;
        }
      }
    }
    lineBegin = lineEnd + 1;
  }
}

export const structuredRecordRule: PhiRule = {
  name: 'structured-records',
  types: [...new Set<PhiType>(['NAME', 'SSN', ...COLUMN_TYPES.map(([, type]) => type)])],
  find(input, report) {
    findStructuredRecords(input.text, report);
  },
};
