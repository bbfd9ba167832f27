#!/usr/bin/env node
/**
 * Command-line interface: `ai-security-monitor <command> [options]`.
 *
 * Commands live in {@link COMMANDS}; `main` dispatches on the first argument. Everything goes
 * through the injected streams, so tests run the CLI in-process.
 */
import { createReadStream, realpathSync } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { version } from '../package.json';
import { PatternScorer } from './detectors/pattern-scorer.js';
import { silentLogger } from './logger.js';
import type { Incident } from './types.js';

const NAME = 'ai-security-monitor';

/** The streams the CLI reads and writes. */
export interface CliIO {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

interface Command {
  /** One line for the command list. */
  synopsis: string;
  summary: string;
  usage: string;
  run(argv: readonly string[], io: CliIO): Promise<number>;
}

/** Exit codes. */
const OK = 0;
const FOUND = 1;
const USAGE = 2;

/** Longest input scored, in characters (the scorer's `maxLength`); `--whole` keeps no more. */
const MAX_INPUT_CHARS = 65_536;

const SCAN_USAGE = `Usage: ${NAME} scan [options] [file...]

Scores each input for prompt injection, jailbreaks and web-attack payloads and prints one
JSON object per input. Reads the files given, or stdin when there are none ("-" is stdin).
By default every non-blank line is one input.

Options:
  --jsonl               Each line is a JSON object: score its "text" field
                        (or "prompt", or "input"; a bare JSON string is scored as is)
  --whole               Score each file (or stdin) as a single input
  --threshold <0..1>    Score at which an input is suspicious (default 0.8)
  --only-suspicious     Print suspicious inputs only
  --fail-on-suspicious  Exit with code 1 when any input is suspicious
  -h, --help            Show this help
  -v, --version         Show the version

Output, one line per input ("file" only when files are given, no "line" with --whole):
  {"file":"prompts.txt","line":3,"score":0.9,"suspicious":true,"rules":["pi.ignore-previous"],"families":["instruction_override"]}

Exit codes: 0 done, 1 suspicious input found (with --fail-on-suspicious),
2 usage error or unreadable input.
`;

const SUMMARY_USAGE = `Usage: ${NAME} summary (--logs <dir> | --redis <url>) [options]

Prints the incident summary of a time window as a table: counts by type and severity, top and
riskiest clients, top routes and the latest incidents. Reads the incident log files
(security_<model>_<date>.log, text or JSON format) or a Redis store shared by your instances.

Options:
  --logs <dir>       Directory of the incident log files
  --redis <url>      Redis URL of the RedisStore (redis://…, rediss://…)
  --prefix <prefix>  Key prefix of the RedisStore (default "asm:")
  --model <name>     Only this model's log files
  --hours <n>        Window, in hours up to now (default 24)
  --json             Print the summary as JSON instead of a table
  -h, --help         Show this help

Exit codes: 0 done, 2 usage error or unreadable source.
`;

async function summaryCommand(argv: readonly string[], io: CliIO): Promise<number> {
  let values: {
    logs?: string;
    redis?: string;
    prefix?: string;
    model?: string;
    hours?: string;
    json?: boolean;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        logs: { type: 'string' },
        redis: { type: 'string' },
        prefix: { type: 'string' },
        model: { type: 'string' },
        hours: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }));
  } catch (err) {
    return usageError(io, `summary: ${describeArgError(err)}`, 'summary');
  }
  if (values.help) {
    io.stdout.write(SUMMARY_USAGE);
    return OK;
  }
  if ((values.logs === undefined) === (values.redis === undefined)) {
    return usageError(io, 'summary: give exactly one of --logs <dir> or --redis <url>.', 'summary');
  }
  const hours = values.hours === undefined ? 24 : Number(values.hours);
  if (!(Number.isFinite(hours) && hours > 0 && hours <= 8784)) {
    return usageError(
      io,
      `summary: --hours expects a number of hours up to 8784, got ${JSON.stringify(values.hours)}.`,
      'summary',
    );
  }
  const until = Date.now();
  const since = until - hours * 3_600_000;
  const { incidentsFromLogs, summarize, summaryTable } = await import('./cli-summary.js');
  let incidents: Incident[];
  let modelName = values.model ?? 'all models';
  try {
    if (values.logs !== undefined) {
      incidents = await incidentsFromLogs(values.logs, since, until, values.model);
    } else {
      const { RedisStore } = await import('./stores/redis-store.js');
      const store = new RedisStore({
        url: values.redis!,
        prefix: values.prefix ?? 'asm:',
        failOpen: false,
        logger: silentLogger,
        commandTimeoutMs: 5000,
      });
      try {
        incidents = await store.listIncidents({ since, until });
        if (store.degraded) throw new Error(`redis at ${values.redis} is unreachable`);
      } finally {
        await store.close();
      }
    }
  } catch (err) {
    io.stderr.write(`${NAME}: summary: ${err instanceof Error ? err.message : describe(err)}\n`);
    return USAGE;
  }
  if (values.model === undefined && incidents.length > 0) {
    const models = [...new Set(incidents.map((i) => i.modelName))];
    modelName = models.length === 1 ? models[0]! : models.join(', ');
  }
  const summary = summarize(incidents, modelName, since, until);
  io.stdout.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : summaryTable(summary));
  return OK;
}

const COMMANDS: ReadonlyMap<string, Command> = new Map([
  [
    'summary',
    {
      synopsis: 'summary --logs <dir> | --redis <url>',
      summary: 'Print the incident summary of the last hours as a table',
      usage: SUMMARY_USAGE,
      run: summaryCommand,
    },
  ],
  [
    'scan',
    {
      synopsis: 'scan [file...]',
      summary: 'Score inputs for prompt injection, jailbreaks and web-attack payloads',
      usage: SCAN_USAGE,
      run: scan,
    },
  ],
]);

function topUsage(): string {
  const width = Math.max(...[...COMMANDS.values()].map((c) => c.synopsis.length)) + 2;
  const list = [...COMMANDS.values()].map((c) => `  ${c.synopsis.padEnd(width)}${c.summary}`).join('\n');
  return `Usage: ${NAME} <command> [options]

Commands:
${list}

Options:
  -h, --help     Show this help (${NAME} <command> --help for a command's options)
  -v, --version  Show the version
`;
}

/**
 * Run the CLI. Resolves to the exit code; never calls `process.exit`. Injected streams are not
 * ended, and output waits for `drain`, so whoever passes `stdout` must read it.
 */
export async function main(
  argv: readonly string[] = process.argv.slice(2),
  io: Partial<CliIO> = {},
): Promise<number> {
  const streams: CliIO = {
    stdin: io.stdin ?? process.stdin,
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
  };
  const [first, ...rest] = argv;
  if (first === undefined) {
    streams.stderr.write(topUsage());
    return USAGE;
  }
  if (first === '-h' || first === '--help') {
    streams.stdout.write(topUsage());
    return OK;
  }
  if (first === '-v' || first === '--version') {
    streams.stdout.write(`${version}\n`);
    return OK;
  }
  if (first === 'help') {
    const topic = rest[0] === undefined ? undefined : COMMANDS.get(rest[0]);
    if (rest[0] !== undefined && topic === undefined) {
      return usageError(streams, `unknown command "${rest[0]}".`);
    }
    streams.stdout.write(topic?.usage ?? topUsage());
    return OK;
  }
  if (first.startsWith('-')) return usageError(streams, `expected a command before "${first}".`);
  const command = COMMANDS.get(first);
  if (command === undefined) return usageError(streams, `unknown command "${first}".`);
  return command.run(rest, streams);
}

function usageError(io: CliIO, message: string, command?: string): number {
  const help = command === undefined ? `${NAME} --help` : `${NAME} ${command} --help`;
  io.stderr.write(`${NAME}: ${message}\nRun "${help}" for usage.\n`);
  return USAGE;
}

// ── scan ──────────────────────────────────────────────────────────────────────────────

type InputMode = 'lines' | 'jsonl' | 'whole';

interface ScanSettings {
  mode: InputMode;
  threshold: number;
  onlySuspicious: boolean;
}

/** One result line. `file` only when files were named, `line` only when reading by line. */
interface ScanRecord {
  file?: string;
  line?: number;
  score: number;
  suspicious: boolean;
  rules: string[];
  families: string[];
}

class ReadError extends Error {
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`cannot read ${file === '-' ? 'stdin' : JSON.stringify(file)}: ${describe(cause)}`);
  }
}

async function scan(argv: readonly string[], io: CliIO): Promise<number> {
  let parsed: ReturnType<typeof parseScanArgs>;
  try {
    parsed = parseScanArgs(argv);
  } catch (err) {
    return usageError(io, `scan: ${describeArgError(err)}`, 'scan');
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(SCAN_USAGE);
    return OK;
  }
  if (values.version) {
    io.stdout.write(`${version}\n`);
    return OK;
  }
  if (values.jsonl && values.whole) {
    return usageError(io, 'scan: --jsonl and --whole cannot be combined.', 'scan');
  }
  const threshold = values.threshold === undefined ? 0.8 : parseThreshold(values.threshold);
  if (threshold === undefined) {
    return usageError(
      io,
      `scan: --threshold expects a number from 0 to 1, got ${JSON.stringify(values.threshold)}.`,
      'scan',
    );
  }
  const settings: ScanSettings = {
    mode: values.jsonl ? 'jsonl' : values.whole ? 'whole' : 'lines',
    threshold,
    onlySuspicious: values['only-suspicious'] === true,
  };

  // Check every file before printing anything, so a typo fails fast rather than halfway.
  for (const file of positionals) {
    if (file === '-') continue;
    const problem = await unreadable(file);
    if (problem !== undefined) {
      io.stderr.write(`${NAME}: cannot read ${JSON.stringify(file)}: ${problem}\n`);
      return USAGE;
    }
  }
  if (positionals.length === 0 && (io.stdin as { isTTY?: boolean }).isTTY === true) {
    io.stderr.write(`${NAME}: reading inputs from the terminal; end with Ctrl-D (see --help).\n`);
  }

  const scorer = new PatternScorer({ maxLength: MAX_INPUT_CHARS });
  const out = new LineWriter(io.stdout);
  let suspicious = false;
  const emit = async (record: ScanRecord): Promise<void> => {
    if (record.suspicious) suspicious = true;
    if (!settings.onlySuspicious || record.suspicious) await out.write(JSON.stringify(record));
  };
  const score = (text: string, where: { file?: string; line?: number }): ScanRecord => {
    const result = scorer.score(text);
    return {
      ...where,
      score: result.score,
      suspicious: result.score >= settings.threshold,
      rules: result.matches.map((m) => m.id),
      families: result.families,
    };
  };

  try {
    const sources = positionals.length === 0 ? [undefined] : positionals;
    for (const file of sources) {
      if (out.closed) break;
      const label = file === undefined || file === '-' ? 'stdin' : JSON.stringify(file);
      const fileField = file === undefined ? {} : { file };
      await withInput(file, io.stdin, async (input, name) => {
        if (settings.mode === 'whole') {
          await emit(score(await readWhole(input, name), fileField));
          return;
        }
        await forEachLine(input, name, async (text, line) => {
          if (text.trim() === '') return true;
          if (settings.mode === 'lines') {
            await emit(score(text, { ...fileField, line }));
          } else {
            const extracted = textFromJsonLine(text);
            if (typeof extracted === 'string') await emit(score(extracted, { ...fileField, line }));
            else io.stderr.write(`${NAME}: ${label} line ${line}: skipped, ${extracted.problem}.\n`);
          }
          return !out.closed;
        });
      });
    }
  } catch (err) {
    if (!(err instanceof ReadError)) throw err;
    io.stderr.write(`${NAME}: ${err.message}\n`);
    return USAGE;
  } finally {
    out.dispose();
  }
  return suspicious && values['fail-on-suspicious'] === true ? FOUND : OK;
}

function parseScanArgs(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      jsonl: { type: 'boolean' },
      whole: { type: 'boolean' },
      threshold: { type: 'string' },
      'only-suspicious': { type: 'boolean' },
      'fail-on-suspicious': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}

/** parseArgs messages, shortened: its unknown-option text explains `--` at length. */
function describeArgError(err: unknown): string {
  const { code, message } = err as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(err);
  const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /^Unknown option '([^']*)'/.exec(text) : null;
  return unknown === null ? text : `unknown option "${unknown[1]}".`;
}

function parseThreshold(raw: string): number | undefined {
  if (raw.trim() === '') return undefined;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 && value <= 1 ? value : undefined;
}

/** Why `file` cannot be scanned, or undefined when it can. */
async function unreadable(file: string): Promise<string | undefined> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) return 'it is a directory';
    await access(file, constants.R_OK);
    return undefined;
  } catch (err) {
    return describe(err);
  }
}

/** Run `body` on the named file, or on stdin; `name` is the file name, `-` for stdin. */
async function withInput(
  file: string | undefined,
  stdin: Readable,
  body: (input: Readable, name: string) => Promise<void>,
): Promise<void> {
  if (file === undefined || file === '-') {
    await body(stdin, '-');
    return;
  }
  const input = createReadStream(file);
  try {
    await body(input, file);
  } finally {
    input.destroy();
  }
}

/**
 * Call `each` for every line of `input`, streamed through node:readline (a line at a time, never
 * the whole input), with 1-based line numbers. `each` returns `false` to stop early.
 */
async function forEachLine(
  input: Readable,
  name: string,
  each: (text: string, line: number) => Promise<boolean>,
): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY, terminal: false });
  let line = 0;
  try {
    for await (const raw of lines) {
      line++;
      const text = line === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
      if (!(await each(text, line))) break;
    }
  } catch (err) {
    throw new ReadError(name, err);
  } finally {
    lines.close();
  }
}

/** The whole input as one string, keeping no more than the scorer reads. */
async function readWhole(input: Readable, name: string): Promise<string> {
  input.setEncoding('utf8');
  let text = '';
  try {
    for await (const chunk of input) {
      if (text.length < MAX_INPUT_CHARS) text += chunk as string;
    }
  } catch (err) {
    throw new ReadError(name, err);
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  return text.length > MAX_INPUT_CHARS ? text.slice(0, MAX_INPUT_CHARS) : text;
}

const JSON_TEXT_FIELDS = ['text', 'prompt', 'input'] as const;

/** The text to score from one JSON line, or why there is none. */
function textFromJsonLine(line: string): string | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { problem: 'not valid JSON' };
  }
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    for (const field of JSON_TEXT_FIELDS) {
      if (typeof record[field] === 'string') return record[field];
    }
  }
  return { problem: 'no "text", "prompt" or "input" string field' };
}

/** Writes lines, waiting for `drain`; stops quietly once the reader has gone (EPIPE). */
class LineWriter {
  private failed = false;
  private readonly onError = () => {
    this.failed = true;
  };

  constructor(private readonly stream: Writable) {
    stream.on('error', this.onError);
  }

  get closed(): boolean {
    return this.failed || this.stream.destroyed || this.stream.writableEnded;
  }

  async write(line: string): Promise<void> {
    if (this.closed) return;
    if (this.stream.write(`${line}\n`)) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('close', done);
        this.stream.off('error', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('close', done);
      this.stream.on('error', done);
    });
  }

  dispose(): void {
    this.stream.off('error', this.onError);
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return 'no such file';
    if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
    if (code === 'EISDIR') return 'it is a directory';
    return err.message;
  }
  return String(err);
}

// ── entry ─────────────────────────────────────────────────────────────────────────────

/** True when this module is the program being run (also through an npm bin symlink). */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`${NAME}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = USAGE;
    },
  );
}
