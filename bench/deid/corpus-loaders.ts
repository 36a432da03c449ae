/** Finds and reads labelled corpora: the synthetic dev set and whatever labelled data appears under shared/data. */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import type { LabelledSpan } from './deid-metrics.ts';
import { mapForeignLabel } from './foreign-label-types.ts';
import type { LabelledCorpus, LabelledNote } from './labelled-corpus.ts';

export interface CorpusLoader {
  readonly name: string;
  /** Whether this loader reads the file; cheap (name and first record only). */
  claims(file: string): Promise<boolean>;
  load(
    file: string,
    options: { readonly name: string; readonly source: string; readonly synthetic: boolean },
  ): Promise<LabelledCorpus>;
}

// Accepts both our shape ({begin, end, type}) and the common {start, end, label} one.
const ForeignEntity = z
  .object({
    begin: z.number().int().optional(),
    start: z.number().int().optional(),
    end: z.number().int(),
    type: z.string().optional(),
    label: z.string().optional(),
  })
  .refine((entity) => (entity.begin ?? entity.start) !== undefined && (entity.type ?? entity.label) !== undefined);

const ForeignNote = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  kind: z.string().optional(),
  text: z.string(),
  entities: z.array(ForeignEntity),
});

function parseRecord(line: string): z.infer<typeof ForeignNote> | undefined {
  try {
    const parsed = ForeignNote.safeParse(JSON.parse(line));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

async function* nonEmptyLines(file: string): AsyncGenerator<string> {
  const reader = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  try {
    for await (const line of reader) if (line.trim()) yield line;
  } finally {
    reader.close();
  }
}

/** JSONL, one note per line: `{"id","kind","text","entities":[{"begin","end","type"}]}` (or start/label). */
export const jsonlEntityLoader: CorpusLoader = {
  name: 'jsonl-entities',
  async claims(file) {
    if (extname(file) !== '.jsonl') return false;
    for await (const line of nonEmptyLines(file)) return parseRecord(line) !== undefined;
    return false;
  },
  async load(file, { name, source, synthetic }) {
    const notes: LabelledNote[] = [];
    const unknownLabels = new Map<string, number>();
    const notPhiLabels = new Map<string, number>();
    let badRecords = 0;
    let badOffsets = 0;
    for await (const line of nonEmptyLines(file)) {
      const record = parseRecord(line);
      if (!record) {
        badRecords++;
        continue;
      }
      const entities: LabelledSpan[] = [];
      for (const entity of record.entities) {
        const label = entity.type ?? entity.label ?? '';
        const begin = entity.begin ?? entity.start ?? -1;
        const mapping = mapForeignLabel(label);
        if (mapping.kind === 'unknown') unknownLabels.set(label, (unknownLabels.get(label) ?? 0) + 1);
        else if (mapping.kind === 'not-phi') notPhiLabels.set(label, (notPhiLabels.get(label) ?? 0) + 1);
        else if (begin < 0 || entity.end <= begin || entity.end > record.text.length) badOffsets++;
        else entities.push({ begin, end: entity.end, type: mapping.type });
      }
      notes.push({
        id: String(record.id ?? notes.length + 1),
        kind: record.kind ?? 'note',
        text: record.text,
        entities,
      });
    }
    const counts = (labels: Map<string, number>) => [...labels].map(([label, n]) => `${label} (${n})`).join(', ');
    const remarks = [
      badRecords > 0 && `${badRecords} lines are not labelled notes and were skipped`,
      badOffsets > 0 && `${badOffsets} entities with offsets outside their text were dropped`,
      notPhiLabels.size > 0 && `labels that are not PHI under our conventions, ignored: ${counts(notPhiLabels)}`,
      unknownLabels.size > 0 &&
        `labels with no mapping in bench/deid/foreign-label-types.ts, ignored (recall is overstated): ${counts(unknownLabels)}`,
    ].filter((remark): remark is string => typeof remark === 'string');
    return { name, source, synthetic, notes, remarks };
  },
};

/** Tried in order on every file under shared/data; add a loader here when a new labelled format arrives. */
export const CORPUS_LOADERS: readonly CorpusLoader[] = [jsonlEntityLoader];

export interface CorpusDiscovery {
  readonly corpora: readonly LabelledCorpus[];
  /** What was not read and why (folders no loader understands, a missing data folder). */
  readonly notices: readonly string[];
}

async function filesUnder(folder: string, depth = 0): Promise<string[]> {
  if (depth > 6) return [];
  const entries = await readdir(folder, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((entry) => !entry.name.startsWith('.'))
      .map((entry) => {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) return filesUnder(path, depth + 1);
        return Promise.resolve(entry.isFile() ? [path] : []);
      }),
  );
  return nested.flat().sort();
}

const DOCUMENTATION = new Set(['.md', '.txt', '.pdf', '.html', '.license']);

function describeContents(files: readonly string[]): string {
  const byExtension = new Map<string, number>();
  for (const file of files) {
    const extension = extname(file) || '(none)';
    byExtension.set(extension, (byExtension.get(extension) ?? 0) + 1);
  }
  return [...byExtension].map(([extension, n]) => `${n} ${extension}`).join(', ') || 'empty';
}

/** Reads every labelled corpus under `dataRoot` (each top-level entry separately) with the first loader claiming it. */
export async function discoverCorpora(
  dataRoot: string,
  repoRoot: string,
  loaders: readonly CorpusLoader[] = CORPUS_LOADERS,
): Promise<CorpusDiscovery> {
  const shown = (path: string) => relative(repoRoot, path) || '.';
  const exists = await stat(dataRoot).then(
    (info) => info.isDirectory(),
    () => false,
  );
  if (!exists) return { corpora: [], notices: [`${shown(dataRoot)}: not found; only the dev set is used`] };
  const corpora: LabelledCorpus[] = [];
  const notices: string[] = [];
  const topLevel = (await readdir(dataRoot, { withFileTypes: true })).filter((entry) => !entry.name.startsWith('.'));
  let dataFiles = 0;
  for (const entry of topLevel.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dataRoot, entry.name);
    const files = entry.isDirectory() ? await filesUnder(path) : [path];
    const data = files.filter((file) => !DOCUMENTATION.has(extname(file).toLowerCase()));
    dataFiles += data.length;
    if (data.length === 0) continue;
    let claimed = 0;
    for (const file of data) {
      const loader = await firstClaiming(loaders, file);
      if (!loader) continue;
      claimed++;
      const name = `shared-data/${relative(dataRoot, file).replace(/\.[^.]+$/, '')}`;
      corpora.push(await loader.load(file, { name, source: shown(file), synthetic: false }));
    }
    if (claimed === 0) {
      notices.push(
        `${shown(path)}: no corpus loader reads it (${describeContents(files)}); skipped. If it holds gold PHI spans, add a loader to CORPUS_LOADERS in bench/deid/corpus-loaders.ts`,
      );
    } else if (claimed < data.length) {
      notices.push(`${shown(path)}: read ${claimed} of ${data.length} data files; the rest have no loader`);
    }
  }
  if (dataFiles === 0)
    notices.push(`${shown(dataRoot)}: no data files yet (documentation only); only the dev set is used`);
  return { corpora, notices };
}

async function firstClaiming(loaders: readonly CorpusLoader[], file: string): Promise<CorpusLoader | undefined> {
  for (const loader of loaders) if (await loader.claims(file)) return loader;
  return undefined;
}

export async function loadDevSet(devSetPath: string, repoRoot: string): Promise<LabelledCorpus> {
  return jsonlEntityLoader.load(devSetPath, {
    name: `dev-set (synthetic, ${basename(devSetPath)})`,
    source: relative(repoRoot, devSetPath),
    synthetic: true,
  });
}
