import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEV_SET_GENRES, DEV_SET_PATH, generateDevSet, serializeDevSet } from '../../bench/data/generate-dev-set.ts';
import { PHI_TYPES } from '../../shared/phi/phi-types.ts';

interface StoredNote {
  id: string;
  kind: string;
  text: string;
  entities: { begin: number; end: number; type: string }[];
}

const fileText = readFileSync(DEV_SET_PATH, 'utf8');
const notes: StoredNote[] = fileText
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as StoredNote); // a test fixture we generate ourselves; shape checked below
const labelled = notes.flatMap((note) =>
  note.entities.map((entity) => ({ ...entity, note: note.id, text: note.text.slice(entity.begin, entity.end) })),
);

describe('the de-identification dev set', () => {
  it('is exactly what the committed generator produces (regenerate with node --import tsx bench/data/generate-dev-set.ts)', () => {
    expect(serializeDevSet(generateDevSet()) === fileText).toBe(true);
  });

  it('has at least 300 notes across every genre and stays well under 5 MB', () => {
    expect(notes.length).toBeGreaterThanOrEqual(300);
    expect(new Set(notes.map((note) => note.kind))).toEqual(new Set(DEV_SET_GENRES.map((genre) => genre.kind)));
    expect(new Set(notes.map((note) => note.id)).size).toBe(notes.length);
    expect(statSync(DEV_SET_PATH).size).toBeLessThan(2_000_000);
  });

  it('slices every entity to non-empty text without surrounding whitespace', () => {
    const bad = labelled.filter((entity) => entity.text.length === 0 || entity.text.trim() !== entity.text);

    expect(bad).toEqual([]);
  });

  it('keeps entities inside their note, sorted and never overlapping', () => {
    const bad = notes.filter((note) =>
      note.entities.some(
        (entity, i) =>
          entity.begin < 0 ||
          entity.end > note.text.length ||
          entity.end <= entity.begin ||
          (i > 0 && entity.begin < (note.entities[i - 1]?.end ?? 0)),
      ),
    );

    expect(bad.map((note) => note.id)).toEqual([]);
  });

  it('uses only our PHI types, each at least 10 times', () => {
    const counts = new Map<string, number>();
    for (const entity of labelled) counts.set(entity.type, (counts.get(entity.type) ?? 0) + 1);

    expect([...counts.keys()].filter((type) => !(PHI_TYPES as readonly string[]).includes(type))).toEqual([]);
    expect(PHI_TYPES.filter((type) => (counts.get(type) ?? 0) < 10)).toEqual([]);
  });

  it('never labels a bare year, an age under 90, a title or a state', () => {
    const bareYears = labelled.filter((entity) => entity.type === 'DATE' && /^\d{4}$/.test(entity.text));
    const youngAges = labelled.filter(
      (entity) => entity.type === 'AGE' && /^\d+$/.test(entity.text) && Number(entity.text) < 90,
    );
    const titled = labelled.filter((entity) => entity.type === 'NAME' && /^(Dr|Mr|Mrs|Ms|Miss)\b/.test(entity.text));
    const states = labelled.filter((entity) => entity.type === 'LOCATION' && /^[A-Z]{2}$/.test(entity.text));

    expect({ bareYears, youngAges, titled, states }).toEqual({ bareYears: [], youngAges: [], titled: [], states: [] });
  });

  it('contains unlabelled distractors: bare years, ages under 90, vitals, ICD-10 codes and eponyms', () => {
    const all = notes.map((note) => note.text).join('\n');

    expect(all).toMatch(/\bin (19|20)\d\d\b/);
    expect(all).toMatch(/\b([1-8]\d) ?(-year-old|y\/o|yo)\b/);
    expect(all).toMatch(/\bBP:? \d{2,3}\/\d{2,3}/);
    expect(all).toMatch(/\b[A-Z]\d{2}\.\d{1,3}\b/);
    expect(all).toMatch(/Parkinson's|Crohn's|Hashimoto's/);
  });
});
