/** The `knowledge` suite's entry as `bench/main.ts` loads it: the whole suite with its default settings. */
import { type KnowledgeReport, runKnowledgeSuite } from './knowledge-suite.ts';

export const run = (repoRoot: string): Promise<KnowledgeReport> => runKnowledgeSuite({ repoRoot });
