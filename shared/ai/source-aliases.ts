/**
 * Server-made source ids: the model sees `s1`..`sN` in place of the caller's source ids (free text that may hold an
 * identifier and is never de-identified), and the citations in its reply are mapped back to the caller's ids.
 */
import type { PromptSource } from './prompt-template.ts';

/** Lower case only: `S1` is a heart sound or a vertebra in clinical prose, and must never be taken for a citation. */
const ALIAS = 's[1-9][0-9]*';
const ALIAS_IN_GROUP = new RegExp(ALIAS, 'g');
const PREFIX = '(?:[Ss]ources?\\s*:?\\s*)?';

/**
 * The two places a citation may stand, and nowhere else:
 * - prose: `(source: s3)`, `[s3]`, `(sources: s1, s3)`, `[source: s2; s4]`;
 * - a JSON string that is exactly one citation, as in `"evidence": ["s3"]` (also `"source: s3"`, `"[s3]"`).
 * Group 1 is the JSON string's alias, group 2 the aliases of a prose group.
 */
const CITATION = new RegExp(
  [
    `"\\s*[[(]?\\s*${PREFIX}(${ALIAS})\\s*[\\])]?\\s*"`,
    `[[(]\\s*${PREFIX}(${ALIAS}(?:\\s*(?:,|;|and)\\s*${ALIAS})*)\\s*[\\])]`,
  ].join('|'),
  'gd',
);

export interface CitedSource {
  /** Offsets of the alias in the reply. */
  readonly begin: number;
  readonly end: number;
  /** The caller's id for the source the alias stands for. */
  readonly sourceId: string;
  /** Whether the alias sits inside a JSON string (the caller's id is then written JSON-escaped). */
  readonly inJsonString: boolean;
}

export class SourceAliases {
  private readonly sourceIdOf: ReadonlyMap<string, string>;
  /** The sources as the model sees them: same order, text and category, the alias in place of the id. */
  readonly promptSources: readonly PromptSource[];

  constructor(sources: readonly PromptSource[]) {
    const aliased = sources.map((source, index) => ({ alias: `s${index + 1}`, source }));
    this.sourceIdOf = new Map(aliased.map(({ alias, source }) => [alias, source.sourceId]));
    this.promptSources = aliased.map(({ alias, source }) => ({ ...source, sourceId: alias }));
  }

  /** Every alias of this prompt that the reply cites, in order; an alias outside a citation form is not one. */
  citations(reply: string): CitedSource[] {
    const cited: CitedSource[] = [];
    for (const match of reply.matchAll(CITATION)) {
      const [, jsonAlias, proseAliases] = match;
      const group = jsonAlias ?? proseAliases ?? '';
      const groupStart = (match.indices?.[jsonAlias !== undefined ? 1 : 2] ?? [match.index])[0];
      for (const alias of group.matchAll(ALIAS_IN_GROUP)) {
        const sourceId = this.sourceIdOf.get(alias[0]);
        if (sourceId === undefined) continue;
        const begin = groupStart + alias.index;
        cited.push({ begin, end: begin + alias[0].length, sourceId, inJsonString: jsonAlias !== undefined });
      }
    }
    return cited;
  }

  /** The reply with each cited alias replaced by the caller's source id. */
  restore(reply: string): string {
    let out = '';
    let cursor = 0;
    for (const citation of this.citations(reply)) {
      const sourceId = citation.inJsonString ? JSON.stringify(citation.sourceId).slice(1, -1) : citation.sourceId;
      out += reply.slice(cursor, citation.begin) + sourceId;
      cursor = citation.end;
    }
    return out + reply.slice(cursor);
  }
}
