/** The deployed version, taken from package.json at build time so health and audit records can name it. */
import packageJson from '../../package.json' with { type: 'json' };

export const SERVICE_VERSION: string = packageJson.version;
