/** The `cdk` CLI entry (cdk.json `app`): reads the deployment from context and builds every stack. */
import { App } from 'aws-cdk-lib';
import { buildApp } from './cdk-app.ts';
import { loadDeploymentConfig } from './config.ts';
import { topology } from './topology/index.ts';

// The CLI hands cdk.json context and `-c` flags to every App in the process; this one is only read, never
// synthesized, because the config decides which stacks the real App gets.
const context = new App({ autoSynth: false }).node.getAllContext();
const { app } = buildApp({ config: loadDeploymentConfig(context), topology });
app.synth();
