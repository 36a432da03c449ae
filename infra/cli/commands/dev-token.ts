/** `cag dev-token`: prints a signed JWT for the local runtime, shaped like a Cognito ID token. */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { isRole, ROLES } from '../../../shared/identity/roles.ts';
import { loadDevSigningKey, signDevToken } from '../../local/dev-identity.ts';

const DEFAULT_DATA_DIR = resolve(import.meta.dirname, '../../..', '.data');
const USER_ID = /^[A-Za-z0-9._@-]{1,64}$/;

export function devTokenCommand(): Command {
  return new Command('dev-token')
    .description('print a signed development token for the local runtime (never valid in AWS)')
    .addOption(new Option('--role <role>', 'staff role').choices(ROLES).makeOptionMandatory())
    .requiredOption('--user <id>', 'user id, e.g. dr.lee', (value: string) => {
      if (!USER_ID.test(value)) throw new InvalidArgumentError('letters, digits and . _ @ - only');
      return value;
    })
    .option('--ttl <hours>', 'validity in hours', (value: string) => {
      const hours = Number(value);
      if (!Number.isFinite(hours) || hours <= 0 || hours > 24) throw new InvalidArgumentError('1 to 24 hours');
      return hours;
    })
    .option('--data <dir>', 'local data folder holding the signing key', process.env.CAG_DATA_DIR ?? DEFAULT_DATA_DIR)
    .action(async (options: { role: string; user: string; ttl?: number; data: string }) => {
      if (!isRole(options.role)) throw new InvalidArgumentError('unknown role');
      const key = await loadDevSigningKey(resolve(options.data));
      const token = await signDevToken(key, {
        userId: options.user,
        roles: [options.role],
        ...(options.ttl ? { ttlSeconds: Math.round(options.ttl * 3600) } : {}),
      });
      process.stdout.write(`${token}\n`);
    });
}
