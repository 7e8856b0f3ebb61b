/**
 * `certdesk inspect FILE… [--password P] [--password-stdin] [--json]`
 */
import { basename } from 'node:path';
import { isCertdeskError } from '../../../shared/errors.js';
import type { ObjectInfo } from '../../../shared/pki-types.js';
import { parse, usage } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printJson, readInputFile, resolvePassword } from '../io.js';
import type { CommandContext } from '../main.js';
import { renderObject } from '../format.js';
import { describeMaterial } from '../../pki/describe.js';

interface Flags {
  json?: boolean;
  password?: string;
  'password-stdin'?: boolean;
}

interface FileReport {
  file: string;
  objects: ObjectInfo[];
  error: { code: string; message: string } | null;
}

/** Reads every file, reports each one, and exits 2 if any could not be read. */
export async function inspectCommand({ io, argv }: CommandContext): Promise<number> {
  const { values, positionals } = parse<Flags>('inspect', argv, {
    json: { type: 'boolean' },
    password: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  });
  if (positionals.length === 0) usage('inspect', 'name at least one FILE to inspect');
  let password = await resolvePassword(io, { password: values.password, passwordStdin: values['password-stdin'] });
  const now = new Date();
  const reports: FileReport[] = [];
  for (const file of positionals) {
    try {
      const bytes = readInputFile(file);
      let objects: ObjectInfo[];
      try {
        objects = await describeMaterial(bytes, { fileName: file, password }, now);
      } catch (err) {
        // A password-protected file on a terminal: ask once, then reuse it for the other files.
        if (isCertdeskError(err) && err.code === 'PASSWORD_REQUIRED' && password === undefined && io.promptSecret && !values.json) {
          password = await io.promptSecret(`Password for ${basename(file)}: `);
          objects = await describeMaterial(bytes, { fileName: file, password }, now);
        } else {
          throw err;
        }
      }
      reports.push({ file, objects, error: null });
    } catch (err) {
      if (!isCertdeskError(err)) throw err;
      reports.push({ file, objects: [], error: { code: err.code, message: err.message } });
    }
  }
  if (values.json) {
    printJson(io, { files: reports });
  } else {
    for (const r of reports) {
      io.stdout(`${r.file}\n`);
      if (r.error) io.stdout(`  error ${r.error.code}: ${r.error.message}\n`);
      else if (r.objects.length === 0) io.stdout('  (no certificates, keys or CSRs found)\n');
      for (const o of r.objects) io.stdout(`${renderObject(o, now).join('\n')}\n`);
    }
  }
  const failed = reports.filter((r) => r.error);
  for (const r of failed) if (values.json) io.stderr(`certdesk: ${r.error?.message}\n`);
  if (failed.length > 0) return EXIT.usage;
  return EXIT.ok;
}

