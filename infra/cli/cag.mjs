#!/usr/bin/env node
// The `cag` command: loads TypeScript through tsx (a runtime dependency) and runs the CLI.
import { register } from 'tsx/esm/api';

register();
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
await import('../local/local-environment.ts');
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);
