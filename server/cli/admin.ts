import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { z } from 'zod';
import { passwordSchema } from '../../shared/domain/index.js';
import { generatePassword, hashPassword } from '../auth/passwords.js';
import { ConfigError, loadConfig } from '../config.js';
import { ActivityLog } from '../services/activityLog.js';
import { buildUser } from '../services/userFactory.js';
import { DataDirLockedError, acquireDataDirLock } from '../storage/dataDirLock.js';
import { LowdbMetaStore } from '../storage/lowdbMetaStore.js';

/**
 * The operator's account tool: `npm run admin -- <command>`. It works on DATA_DIR directly, so it
 * takes the data directory's lock: while a server runs on the same DATA_DIR it refuses (lowdb has
 * one writer; two would overwrite each other's changes) and says to stop the server first.
 * Passwords that are not given are generated and printed once.
 */

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  create-user --email <email> --name <name> [--admin] [--password <password> | --password -]
      Creates an account. Without --password a strong one is generated and printed once.
      "--password -" reads it from the first line of standard input (keeps it out of shell history).
  reset-password --email <email> [--password <password> | --password -]
      Sets a new password (generated and printed when not given) and signs the user out everywhere.
  list-users
      Lists every account with its groups.

The data directory is DATA_DIR (default ./data; .env is read). Stop the server first.`;

class UsageError extends Error {}

const emailSchema = z.string().trim().toLowerCase().email('is not an email address');
const nameSchema = z.string().trim().min(1, 'must not be empty').max(80, 'must be at most 80 characters');

function readStdinLine(): string {
  return readFileSync(0, 'utf8').split(/\r?\n/)[0] ?? '';
}

function passwordFrom(value: string | undefined): { password: string; generated: boolean } {
  if (value === undefined) return { password: generatePassword(), generated: true };
  const given = value === '-' ? readStdinLine() : value;
  const parsed = passwordSchema.safeParse(given);
  if (!parsed.success) throw new UsageError(`--password ${parsed.error.issues[0]?.message ?? 'is not acceptable'}`);
  return { password: parsed.data, generated: false };
}

function required<T>(schema: z.ZodType<T>, value: string | undefined, flag: string): T {
  if (value === undefined) throw new UsageError(`${flag} is required`);
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${flag} ${parsed.error.issues[0]?.message ?? 'is not valid'}`);
  return parsed.data;
}

async function run(argv: string[], out: (line: string) => void): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help') {
    out(USAGE);
    return;
  }
  const values = parseOptions(rest);
  if (!['create-user', 'reset-password', 'list-users'].includes(command)) throw new UsageError(`unknown command "${command}"`);

  if (existsSync(path.resolve('.env'))) process.loadEnvFile(path.resolve('.env'));
  const config = loadConfig(process.env);
  const release = await acquireDataDirLock(await ensureDir(config.dataDir), 'cli');
  const logger = pino({ level: 'silent' });
  const meta = await LowdbMetaStore.open({ file: path.join(config.dataDir, 'meta.json'), logger });
  try {
    const activity = new ActivityLog(meta, logger);
    if (command === 'create-user') {
      const email = required(emailSchema, values.email, '--email');
      const name = required(nameSchema, values.name, '--name');
      if (await meta.findUserByEmail(email)) throw new UsageError(`an account with the email ${email} already exists (use reset-password)`);
      const { password, generated } = passwordFrom(values.password);
      const user = await buildUser({ email, name, password, isAdmin: values.admin ?? false }, new Date());
      await meta.insertUser(user);
      await activity.record('user.created', null, { targetUserId: user.id, details: { email, isAdmin: user.isAdmin, via: 'cli' } });
      out(`Created ${user.isAdmin ? 'admin ' : ''}account ${email}.`);
      if (generated) out(`Password (shown only now): ${password}`);
    } else if (command === 'reset-password') {
      const email = required(emailSchema, values.email, '--email');
      const user = await meta.findUserByEmail(email);
      if (!user) throw new UsageError(`there is no account with the email ${email}`);
      const { password, generated } = passwordFrom(values.password);
      await meta.updateUser(user.id, { passwordHash: await hashPassword(password) });
      const ended = await meta.deleteSessions({ userId: user.id });
      await activity.record('user.updated', null, { targetUserId: user.id, details: { change: 'password', via: 'cli' } });
      out(`New password set for ${email}; ${ended.length} session(s) ended.${user.active ? '' : ' Note: this account is deactivated.'}`);
      if (generated) out(`Password (shown only now): ${password}`);
    } else {
      const users = await meta.listUsers();
      const memberships = await meta.listMemberships({});
      if (users.length === 0) out('No accounts yet: the server creates the first admin when it starts.');
      for (const user of users) {
        const groups = memberships.filter((m) => m.userId === user.id).map((m) => `${m.groupId}:${m.role}`);
        const flags = [user.isAdmin ? 'admin' : null, user.active ? null : 'deactivated'].filter(Boolean).join(', ');
        out(`${user.email}\t${user.name}${flags ? `\t(${flags})` : ''}${groups.length ? `\t${groups.join(' ')}` : ''}`);
      }
    }
  } finally {
    await meta.close();
    await release();
  }
}

async function ensureDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

function parseOptions(args: string[]) {
  try {
    return parseArgs({
      args,
      options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' }, admin: { type: 'boolean' } },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

run(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`roundtable admin: ${error.message}\n\n${USAGE}\n`);
      process.exit(2);
    }
    if (error instanceof DataDirLockedError || error instanceof ConfigError) {
      process.stderr.write(`roundtable admin: ${error.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`roundtable admin: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
