/** Generates the synthetic labelled de-identification dev set (bench/data/dev-set.jsonl) from fixed seeds. */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dictation, encounterTranscript, portalMessage } from './genres/conversations.ts';
import { appealLetter, priorAuthLetter, referralLetter } from './genres/letters.ts';
import { dischargeSummary, edNote, nursingNote, soapNote, telephoneEncounter } from './genres/narrative-notes.ts';
import { csvExtract, hl7Message, labReport, medicationList } from './genres/structured-records.ts';
import type { GoldEntity, LabelledText } from './labelled-text.ts';
import { SeededRandom } from './seeded-random.ts';
import { type Cast, castFor } from './synthetic-cast.ts';

export interface DevSetNote {
  readonly id: string;
  readonly kind: string;
  readonly text: string;
  readonly entities: readonly GoldEntity[];
}

/** Genres and how many notes of each; a note's seed is `<kind>#<n>`, so adding a genre never changes the others. */
export const DEV_SET_GENRES: readonly {
  readonly kind: string;
  readonly count: number;
  readonly write: (cast: Cast) => LabelledText;
}[] = [
  { kind: 'soap-note', count: 28, write: soapNote },
  { kind: 'discharge-summary', count: 22, write: dischargeSummary },
  { kind: 'ed-note', count: 24, write: edNote },
  { kind: 'nursing-note', count: 22, write: nursingNote },
  { kind: 'telephone-encounter', count: 22, write: telephoneEncounter },
  { kind: 'portal-message', count: 32, write: portalMessage },
  { kind: 'referral-letter', count: 22, write: referralLetter },
  { kind: 'prior-auth-letter', count: 20, write: priorAuthLetter },
  { kind: 'appeal-letter', count: 20, write: appealLetter },
  { kind: 'encounter-transcript', count: 24, write: encounterTranscript },
  { kind: 'dictation', count: 20, write: dictation },
  { kind: 'hl7-message', count: 20, write: hl7Message },
  { kind: 'csv-extract', count: 16, write: csvExtract },
  { kind: 'lab-report', count: 22, write: labReport },
  { kind: 'medication-list', count: 22, write: medicationList },
];

export function generateDevSet(): DevSetNote[] {
  return DEV_SET_GENRES.flatMap(({ kind, count, write }) =>
    Array.from({ length: count }, (_, n) => {
      const note = write(castFor(new SeededRandom(`${kind}#${n}`)));
      return { id: `${kind}-${String(n + 1).padStart(3, '0')}`, kind, text: note.text, entities: note.entities };
    }),
  );
}

/** One JSON object per line with keys in a fixed order, so regenerating is byte-for-byte reproducible. */
export function serializeDevSet(notes: readonly DevSetNote[]): string {
  return notes
    .map((note) =>
      JSON.stringify({
        id: note.id,
        kind: note.kind,
        text: note.text,
        entities: note.entities.map(({ begin, end, type }) => ({ begin, end, type })),
      }),
    )
    .join('\n')
    .concat('\n');
}

export const DEV_SET_PATH = fileURLToPath(new URL('./dev-set.jsonl', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const notes = generateDevSet();
  writeFileSync(DEV_SET_PATH, serializeDevSet(notes));
  const entities = notes.reduce((sum, note) => sum + note.entities.length, 0);
  console.log(`wrote ${notes.length} notes, ${entities} entities to ${DEV_SET_PATH}`);
}
