#!/usr/bin/env node
// `chunkflow`: the one command of a Chunkflow installation. Each subcommand's module is loaded only
// when it runs, so `chunkflow keys` never loads the HTTP server nor `chunkflow preview` a database.
import { describeFailure, EXIT, UsageError } from './exit-codes.ts';

const HELP = `chunkflow — document chunking service

usage: chunkflow COMMAND [options]

commands:
  serve                        run the API server (HTTP on PORT, default 3000)
  worker                       run a worker: chunking operations from the Redis queue (REDIS_URL)
  keys create|list|revoke      manage a tenant's API keys (in the database, or through a server: --url)
  import COLLECTION FOLDER     import a folder or glob of files into a collection, resumable (--apply STRATEGY)
  export --collection ID       write a collection's chunks as NDJSON
  preview FILE                 chunk a file on this machine and print the chunks (table or --json)
  help [COMMAND]               this text, or a command's own

Configuration comes from the environment (docs/configuration.md): DATABASE_URL, REDIS_URL, PORT…
Commands that call a server take --url and --api-key, or CHUNKFLOW_URL and CHUNKFLOW_API_KEY.

exit status: 0 done, 1 refused or failed (the error's code is printed), 64 wrong usage,
69 server, database or Redis unreachable, 78 configuration that cannot run.`;

interface Command {
  usage: string;
  run(args: string[], environment: NodeJS.ProcessEnv): Promise<number | undefined>;
}

const commands: Record<string, () => Promise<Command>> = {
  serve: async () => ({
    usage: 'usage: chunkflow serve   (configured by the environment: docs/configuration.md)',
    run: async (_args, environment) => (await import('../serve.ts')).serve(environment).then(() => undefined),
  }),
  worker: async () => ({
    usage: 'usage: chunkflow worker   (needs REDIS_URL and DATABASE_URL: docs/configuration.md)',
    run: async (_args, environment) =>
      (await import('@chunkflow/worker/run')).runWorker(environment).then(() => undefined),
  }),
  keys: async () => {
    const { KEYS_USAGE, keysCommand } = await import('./keys.ts');
    return { usage: KEYS_USAGE, run: keysCommand };
  },
  import: async () => {
    const { IMPORT_USAGE, importCommand } = await import('./import.ts');
    return { usage: IMPORT_USAGE, run: importCommand };
  },
  export: async () => {
    const { EXPORT_USAGE, exportCommand } = await import('./export.ts');
    return { usage: EXPORT_USAGE, run: exportCommand };
  },
  preview: async () => {
    const { PREVIEW_USAGE, previewCommand } = await import('./preview.ts');
    return { usage: PREVIEW_USAGE, run: (args) => previewCommand(args) };
  },
};

async function main(argv: string[]): Promise<number | undefined> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? args[0] : undefined;
    const load = topic === undefined ? undefined : commands[topic];
    console.log(load ? (await load()).usage : HELP);
    return EXIT.ok;
  }
  const load = commands[name];
  if (!load) {
    console.error(`chunkflow: unknown command "${name}"\n\n${HELP}`);
    return EXIT.usage;
  }
  const command = await load();
  if (args.includes('--help') || args.includes('-h')) {
    console.log(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(args, process.env);
  } catch (error) {
    // parseArgs refuses unknown or malformed options with a TypeError of its own code.
    const usage =
      error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (usage) {
      console.error(`chunkflow: ${(error as Error).message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    const { line, exitCode } = describeFailure(error);
    console.error(line);
    return exitCode;
  }
}

// serve and worker keep running (undefined): the process ends when they close on a signal.
const exitCode = await main(process.argv.slice(2));
if (exitCode !== undefined) process.exit(exitCode);
