// A cached preview at many connections, against the floor, in one run: real server processes on
// this machine's PostgreSQL and Redis (as `pnpm load` starts them), driven by autocannon. The floor
// is a bare tRPC + Fastify + superjson server answering the same ~20 KB document's preview object
// from memory, in a process of its own; beside it a tRPC no-op on the same framework. Chunkflow's
// cache hit is asked for by content and by content hash, over tRPC and REST, and by hash with gzip
// accepted (served from bytes compressed once). Prints each case and its ratio to the floor, writes bench-results/serving-load.json. `BENCH_SECONDS` (default 10) per
// case, `BENCH_CONNECTIONS` (default 50), `BENCH_ROUNDS` (default 2; each case's median is kept);
// `BENCH_ONLY=text` runs the floor and the cases whose name contains the text (e.g. to profile one
// with `LOAD_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/profiles'`).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { benchEnvironment, writeBenchJson } from '@chunkflow/vitest-config/environment';
import autocannon from 'autocannon';
import superjson from 'superjson';
import { freePort } from '../../../packages/redis-manager/test/support/redis-process.ts';
import { startLoadTarget } from '../load/target.ts';
import { DOCUMENT_CHARS, previewByHashInput, previewInput } from './preview-input.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

interface Case {
  name: string;
  /** The process that answers it, whose CPU time is read. */
  pid: number | undefined;
  url: string;
  method: 'GET' | 'POST';
  body?: string;
  headers?: Record<string, string>;
}

interface CaseResult {
  name: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU time the answering process spent per request (user + system, from /proc): what a request
   * costs the server whatever else the machine runs, unlike the rate and latency.
   */
  serverCpuMsPerRequest: number;
  /** Requests unanswered within 10 s. */
  timeouts: number;
  /** Bytes of one answer as sent (compressed, when it was). */
  answerBytes: number;
}

/** A process's CPU time so far in ms (Linux /proc; clock ticks of 10 ms). */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  // After the command: state is field 3, utime 14 and stime 15 (1-based, as proc(5) counts).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const FLOOR = 'floor: bare tRPC + Fastify + superjson answering the same preview object from memory';
const NOOP = 'compare: tRPC no-op on the same framework';
const BY_CONTENT = 'tRPC chunking.preview by content (cache hit)';
const BY_HASH = 'tRPC chunking.previewByHash (cache hit)';
const REST_BY_CONTENT = 'REST POST /api/v2/chunking/preview by content (cache hit)';
const REST_BY_HASH = 'REST POST /api/v2/chunking/preview/by-hash (cache hit)';
const BY_HASH_GZIP = 'tRPC chunking.previewByHash (cache hit), gzip accepted';

/** Starts the floor server process on a free port; resolves with its URL and a way to stop it. */
async function startFloor(answer: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'chunkflow-floor-'));
  const answerFile = join(dir, 'answer.json');
  writeFileSync(answerFile, superjson.stringify(answer));
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'floor-process.ts'), answerFile, String(await freePort())],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the floor process exited (${code})`)));
    lines.on('line', (line) => {
      const parsed = JSON.parse(line) as { msg?: string; url?: string };
      if (parsed.msg === 'floor listening' && parsed.url) resolve(parsed.url);
    });
  });
  return {
    url,
    pid: child.pid,
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One answer, checked (a wrong answer fails the run rather than being timed); fetch decompresses it. */
async function answerOf(testCase: Case): Promise<{ text: string; bytesSent: number }> {
  const response = await fetch(testCase.url, {
    method: testCase.method,
    // As autocannon asks (fetch would ask for gzip by itself).
    headers: { 'accept-encoding': 'identity', ...testCase.headers },
    ...(testCase.body === undefined ? {} : { body: testCase.body }),
  });
  const body = await response.text();
  if (response.status !== 200)
    throw new Error(`${testCase.name} answered ${response.status}: ${body.slice(0, 300)}`);
  const length = response.headers.get('content-length');
  return { text: body, bytesSent: length === null ? Buffer.byteLength(body) : Number(length) };
}

async function run(testCase: Case): Promise<CaseResult> {
  const answerBytes = (await answerOf(testCase)).bytesSent;
  const cpuBefore = cpuMsOf(testCase.pid);
  const result = await autocannon({
    url: testCase.url,
    method: testCase.method,
    connections: CONNECTIONS,
    duration: SECONDS,
    headers: testCase.headers ?? {},
    ...(testCase.body === undefined ? {} : { body: testCase.body }),
  });
  // A request unanswered within autocannon's 10 s is counted (a loaded machine has them); any
  // other failure fails the run.
  if (result.non2xx > 0 || result.errors > result.timeouts) {
    throw new Error(`${testCase.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
  return {
    name: testCase.name,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    serverCpuMsPerRequest: (cpuMsOf(testCase.pid) - cpuBefore) / result.requests.total,
    timeouts: result.timeouts,
    answerBytes,
  };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const started = benchEnvironment();
const target = await startLoadTarget({ servers: 1, workers: 0 });
const json = { 'content-type': 'application/json' };
const authed = { ...json, authorization: `Bearer ${target.apiKey}` };
const trpcBody = (input: unknown) => JSON.stringify(superjson.serialize(input));
try {
  // The first preview computes and caches; every request below is a hit on that entry.
  const { text: first } = await answerOf({
    name: 'first preview',
    pid: undefined,
    url: `${target.url}/trpc/chunking.preview`,
    method: 'POST',
    headers: authed,
    body: trpcBody(previewInput),
  });
  const preview = superjson.deserialize((JSON.parse(first) as { result: { data: never } }).result.data);
  const floor = await startFloor(preview);
  try {
    const only = process.env.BENCH_ONLY;
    const allCases: Case[] = [
      {
        name: FLOOR,
        pid: floor.pid,
        url: `${floor.url}/trpc/preview`,
        method: 'POST',
        headers: json,
        body: trpcBody(previewInput),
      },
      { name: NOOP, pid: floor.pid, url: `${floor.url}/trpc/noop`, method: 'GET' },
      {
        name: BY_CONTENT,
        pid: target.serverPids[0],
        url: `${target.url}/trpc/chunking.preview`,
        method: 'POST',
        headers: authed,
        body: trpcBody(previewInput),
      },
      {
        name: BY_HASH,
        pid: target.serverPids[0],
        url: `${target.url}/trpc/chunking.previewByHash`,
        method: 'POST',
        headers: authed,
        body: trpcBody(previewByHashInput),
      },
      {
        name: BY_HASH_GZIP,
        pid: target.serverPids[0],
        url: `${target.url}/trpc/chunking.previewByHash`,
        method: 'POST',
        headers: { ...authed, 'accept-encoding': 'gzip' },
        body: trpcBody(previewByHashInput),
      },
      {
        name: REST_BY_CONTENT,
        pid: target.serverPids[0],
        url: `${target.url}/api/v2/chunking/preview`,
        method: 'POST',
        headers: authed,
        body: JSON.stringify(previewInput),
      },
      {
        name: REST_BY_HASH,
        pid: target.serverPids[0],
        url: `${target.url}/api/v2/chunking/preview/by-hash`,
        method: 'POST',
        headers: authed,
        body: JSON.stringify(previewByHashInput),
      },
    ];
    const cases = allCases.filter((entry) => !only || entry.name === FLOOR || entry.name.includes(only));
    const rounds: CaseResult[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const results: CaseResult[] = [];
      for (const testCase of cases) results.push(await run(testCase));
      rounds.push(results);
    }
    const results = cases.map((testCase, index) => ({
      name: testCase.name,
      requestsPerSecond: median(rounds.map((round) => (round[index] as CaseResult).requestsPerSecond)),
      p50Ms: median(rounds.map((round) => (round[index] as CaseResult).p50Ms)),
      p99Ms: median(rounds.map((round) => (round[index] as CaseResult).p99Ms)),
      serverCpuMsPerRequest: median(
        rounds.map((round) => (round[index] as CaseResult).serverCpuMsPerRequest),
      ),
      timeouts: rounds.reduce((sum, round) => sum + (round[index] as CaseResult).timeouts, 0),
      answerBytes: ((rounds[0] ?? [])[index] as CaseResult).answerBytes,
    }));
    // Ratios to the floor are taken round by round (each against the floor of its own round): the
    // rate's, and the server CPU per request's (the floor's ÷ the case's: how many more requests a
    // core of its own would serve), which the machine's other work skews far less.
    const byRound = (name: string, of: (entry: CaseResult, floor: CaseResult) => number) =>
      median(
        rounds.map((round) => {
          const floorResult = round.find((entry) => entry.name === FLOOR) as CaseResult;
          return of(round.find((entry) => entry.name === name) as CaseResult, floorResult);
        }),
      );
    const ratioTo = (name: string) =>
      byRound(name, (entry, floor) => entry.requestsPerSecond / floor.requestsPerSecond);
    const cpuRatioTo = (name: string) =>
      byRound(name, (entry, floor) => floor.serverCpuMsPerRequest / entry.serverCpuMsPerRequest);
    // Only for cases that ran (see BENCH_ONLY).
    const goals: [name: string, goal: number | undefined][] = [
      [BY_CONTENT, 2],
      [BY_HASH, 3],
      [REST_BY_CONTENT, 2],
      [REST_BY_HASH, 3],
      [BY_HASH_GZIP, undefined],
      [NOOP, undefined],
    ];
    const ratios = goals
      .filter(([name]) => cases.some((ran) => ran.name === name))
      .map(([name, goal]) => {
        const ratio = ratioTo(name);
        return {
          name: `${name} ÷ floor`,
          ratio,
          cpuRatio: cpuRatioTo(name),
          goal,
          better: 'higher',
          met: goal === undefined ? '' : ratio >= goal ? 'yes' : 'no',
        };
      });
    console.log(
      `${DOCUMENT_CHARS / 1000} KB document, ${CONNECTIONS} connections, ${SECONDS} s per case, ${ROUNDS} rounds (medians)`,
    );
    console.table(results);
    console.table(ratios);
    writeBenchJson(join(import.meta.dirname, '../bench-results/serving-load.json'), started, {
      seconds: SECONDS,
      connections: CONNECTIONS,
      rounds: ROUNDS,
      documentChars: DOCUMENT_CHARS,
      cases: results,
      ratios,
    });
  } finally {
    await floor.close();
  }
} finally {
  await target.close();
}
