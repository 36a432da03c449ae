/** `cag dev-token`: prints a signed JWT for the local runtime, shaped like a Cognito ID token or an integration. */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { isRole, ROLES } from '../../../shared/identity/roles.ts';
import { loadDevSigningKey, signDevIntegrationToken, signDevToken } from '../../local/dev-identity.ts';
import { LOCAL_INTEGRATION_CALLERS } from '../../local/local-integrations.ts';

const DEFAULT_DATA_DIR = resolve(import.meta.dirname, '../../..', '.data');
const USER_ID = /^[A-Za-z0-9._@-]{1,64}$/;

interface DevTokenOptions {
  readonly role?: string;
  readonly user?: string;
  readonly integration?: string;
  readonly ttl?: number;
  readonly data: string;
}

export function devTokenCommand(): Command {
  return new Command('dev-token')
    .description('print a signed development token for the local runtime (never valid in AWS)')
    .addOption(new Option('--role <role>', 'staff role').choices(ROLES))
    .option('--user <id>', 'user id, e.g. dr.lee', (value: string) => {
      if (!USER_ID.test(value)) throw new InvalidArgumentError('letters, digits and . _ @ - only');
      return value;
    })
    .addOption(
      new Option(
        '--integration <name>',
        'act as a server-to-server integration (stands in for an IAM principal signing with SigV4)',
      )
        .choices(LOCAL_INTEGRATION_CALLERS.map((caller) => caller.name))
        .conflicts(['role', 'user']),
    )
    .option('--ttl <hours>', 'validity in hours', (value: string) => {
      const hours = Number(value);
      if (!Number.isFinite(hours) || hours <= 0 || hours > 24) throw new InvalidArgumentError('1 to 24 hours');
      return hours;
    })
    .option('--data <dir>', 'local data folder holding the signing key', process.env.CAG_DATA_DIR ?? DEFAULT_DATA_DIR)
    .action(async (options: DevTokenOptions, command: Command) => {
      const ttl = options.ttl ? { ttlSeconds: Math.round(options.ttl * 3600) } : {};
      const key = await loadDevSigningKey(resolve(options.data));
      if (options.integration) {
        process.stdout.write(`${await signDevIntegrationToken(key, { integration: options.integration, ...ttl })}\n`);
        return;
      }
      if (!options.role || !options.user) command.error('either --role and --user, or --integration, is required');
      if (!isRole(options.role)) throw new InvalidArgumentError('unknown role');
      const token = await signDevToken(key, { userId: options.user, roles: [options.role], ...ttl });
      process.stdout.write(`${token}\n`);
    });
}
