/** `cag kb ingest PATH...`: ingests Markdown, text, HTML (with front matter) and PDF files into the local knowledge base. */
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { Command } from 'commander';
import { ingestFiles, knowledgeFiles } from '../../local/local-knowledge-seed.ts';
import { startLocalServices } from '../../local/local-services.ts';
import { topology } from '../../topology/index.ts';

const ROOT_DIR = resolve(import.meta.dirname, '../../..');

export function kbCommand(): Command {
  const kb = new Command('kb').description('the practice knowledge base (PHI-free documents for retrieval)');
  kb.command('ingest')
    .description('ingest files or folders; each is scanned for PHI and refused if any is found')
    .argument(
      '<paths...>',
      'files or folders of .md, .txt or .html documents with front matter, or .pdf with a NAME.pdf.md front-matter sidecar',
    )
    .option('--data <dir>', 'local data folder', process.env.CAG_DATA_DIR ?? resolve(ROOT_DIR, '.data'))
    .action(async (paths: string[], options: { data: string }) => {
      const services = await startLocalServices({ topology, rootDir: ROOT_DIR, dataDir: resolve(options.data) });
      try {
        const files = await knowledgeFiles(paths.map((path) => resolve(path)));
        const result = await ingestFiles(files, `cli.${userInfo().username}`, services.ports);
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        process.exitCode = result.refused.length > 0 ? 1 : 0;
      } finally {
        await services.close();
      }
    });
  return kb;
}
