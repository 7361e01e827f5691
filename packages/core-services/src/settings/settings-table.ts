import { availableParallelism } from 'node:os';
import { z } from 'zod';
import {
  commaSeparatedList,
  mebibytes,
  nonNegativeInteger,
  optionalText,
  port,
  positiveInteger,
  setting,
  timerMs,
} from './setting.ts';

const MIN_BOOTSTRAP_KEY_CHARS = 32;

/**
 * The smallest heap a conversion thread may be given: the parsers it loads at start take ~30 MB, so
 * less would fail every conversion instead of bounding one.
 */
export const MIN_CONVERSION_MEMORY_MB = 64;

/** Calls admitted per window; 0 = unlimited. */
const callsPerWindow = nonNegativeInteger;

/**
 * Every environment variable of Chunkflow, grouped by what it bounds or connects. The env schema,
 * the typed settings (`settingsFrom`) and the tables of docs/configuration.md and the README are
 * all derived from this table: a new setting is one row here, then used where it applies.
 */
export const SETTINGS_TABLE = {
  /** Where state lives: PostgreSQL, Redis, and the embedded stand-ins for them. */
  storage: {
    databaseUrl: setting({
      env: 'DATABASE_URL',
      default: undefined,
      parse: optionalText,
      defaultText: 'unset → embedded PostgreSQL (PGlite) under `CHUNKFLOW_DATA_DIR`',
      doc: 'PostgreSQL connection; unset, an embedded PGlite runs in a child process reached over a private Unix socket',
      readmeDoc: 'PostgreSQL connection',
      readBy: 'both',
    }),
    databaseReplicaUrls: setting({
      env: 'DATABASE_REPLICA_URLS',
      default: '',
      parse: commaSeparatedList,
      defaultText: 'empty: every statement on `DATABASE_URL`',
      doc: 'comma-separated PostgreSQL read replicas for statistics and listings (see [Operating](operating.md)); ignored, with a warning, on embedded PGlite',
      readBy: 'both',
    }),
    redisUrl: setting({
      env: 'REDIS_URL',
      default: undefined,
      parse: optionalText,
      defaultText: 'unset → in-process cache, queue, progress and rate limits',
      doc: 'Redis connection (also Sentinel / Cluster URLs): the Redis of every role whose own URL below is unset (see [Scaling](scaling.md#redis-by-role))',
      readmeDoc: 'Redis connection (also Sentinel / Cluster URLs); the default of the three role URLs below',
      readBy: 'both',
    }),
    redisQueueUrl: setting({
      env: 'REDIS_QUEUE_URL',
      default: undefined,
      parse: optionalText,
      defaultText: '`REDIS_URL`',
      doc: 'the queue Redis: BullMQ jobs and progress streams. Must have `maxmemory-policy noeviction`: a server or worker refuses to start on one that evicts',
      readmeDoc: 'the queue Redis (jobs, progress); must not evict',
      readBy: 'both',
    }),
    redisLimitsUrl: setting({
      env: 'REDIS_LIMITS_URL',
      default: undefined,
      parse: optionalText,
      defaultText: '`REDIS_URL`',
      doc: 'the limits Redis: rate-limit windows and pub/sub announcements (API-key revocation); `noeviction` advised (a warning is logged otherwise)',
      readmeDoc: 'the limits Redis (rate limits, announcements)',
      readBy: 'server',
    }),
    redisCacheUrl: setting({
      env: 'REDIS_CACHE_URL',
      default: undefined,
      parse: optionalText,
      defaultText: '`REDIS_URL`',
      doc: 'the cache Redis: preview and statistics caches. Give it a `maxmemory` and `allkeys-lru`; a warning is logged when it shares the queue or limits Redis, cannot evict or is unbounded',
      readmeDoc: 'the cache Redis (previews); bounded, may evict',
      readBy: 'both',
    }),
    dataDir: setting({
      env: 'CHUNKFLOW_DATA_DIR',
      default: './.chunkflow',
      parse: z.string(),
      doc: 'embedded database files',
      readBy: 'both',
    }),
    keyPrefix: setting({
      env: 'CHUNKFLOW_KEY_PREFIX',
      default: 'chunkflow',
      parse: z.string(),
      doc: 'prefix of every Redis key, `<prefix>:…` (one per deployment)',
      readmeDoc: 'prefix of every Redis key (one per deployment)',
      readBy: 'both',
    }),
  },
  observability: {
    logLevel: setting({
      env: 'LOG_LEVEL',
      default: 'info',
      parse: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
      doc: 'pino log level',
      readBy: 'both',
    }),
    logFormat: setting({
      env: 'LOG_FORMAT',
      default: 'auto',
      parse: z.enum(['auto', 'json', 'pretty']),
      doc: '`json`: one JSON object per line; `pretty`: coloured lines for a person; `auto`: `pretty` when standard output is a terminal and `NODE_ENV` is not `production`, else `json`',
      readBy: 'both',
    }),
    metricsToken: setting({
      env: 'METRICS_TOKEN',
      default: undefined,
      parse: optionalText,
      defaultText: 'unset: `/metrics` open to whoever reaches it',
      doc: "when set, the server's and workers' `/metrics` answer only `Authorization: Bearer <token>` (Prometheus: `authorization: { credentials: <token> }` in the scrape config); others get 401 `UNAUTHORIZED`",
      readBy: 'both',
    }),
  },
  /** Who gets in: the first key, and which proxies may name the client. */
  access: {
    bootstrapApiKey: setting({
      env: 'BOOTSTRAP_API_KEY',
      default: undefined,
      parse: optionalText.refine((key) => key === undefined || key.length >= MIN_BOOTSTRAP_KEY_CHARS, {
        message: `BOOTSTRAP_API_KEY must be at least ${MIN_BOOTSTRAP_KEY_CHARS} characters (a guessable key is refused); generate one with \`openssl rand -base64 32\` or leave it unset to have one created`,
      }),
      defaultText: 'unset → first start creates a key for tenant `default` and prints it once',
      doc: `key ensured for tenant \`default\` (stored hashed); at least ${MIN_BOOTSTRAP_KEY_CHARS} characters, or start-up stops saying why`,
      readmeDoc: `key ensured for tenant \`default\` (≥ ${MIN_BOOTSTRAP_KEY_CHARS} characters)`,
      readBy: 'server',
    }),
    // None by default, so per-address limits count the peer. Behind a proxy all clients would
    // otherwise share the proxy's address, and one key guesser get them all refused.
    adminApiKey: setting({
      env: 'ADMIN_API_KEY',
      default: undefined,
      parse: optionalText.refine((key) => key === undefined || key.length >= MIN_BOOTSTRAP_KEY_CHARS, {
        message: `ADMIN_API_KEY must be at least ${MIN_BOOTSTRAP_KEY_CHARS} characters (a guessable key is refused); generate one with \`openssl rand -base64 32\``,
      }),
      defaultText:
        'unset: the `keys.*` procedures answer 403; keys are managed with `chunkflow keys` on the database',
      doc: `operator key of the \`keys.*\` procedures (create, list and revoke any tenant's API keys, e.g. \`chunkflow keys --url …\`); it is no tenant's key; at least ${MIN_BOOTSTRAP_KEY_CHARS} characters`,
      readBy: 'server',
    }),
    trustedProxies: setting({
      env: 'TRUST_PROXY',
      default: '',
      parse: commaSeparatedList,
      defaultText: 'empty: the peer address is the client',
      doc: "comma-separated addresses or CIDRs of reverse proxies whose `X-Forwarded-For` names the client (set it behind a proxy, or every client shares the proxy's failed-authentication budget)",
      readmeDoc: 'reverse proxies whose `X-Forwarded-For` names the client',
      readBy: 'server',
    }),
  },
  /** Which remote embedders a `semantic` config may call. */
  embedders: {
    allowedBaseUrls: setting({
      env: 'EMBEDDER_ALLOWED_URLS',
      default: '',
      parse: commaSeparatedList,
      defaultText: 'empty: remote embedders refused',
      doc: 'comma-separated base URLs of OpenAI-compatible embedders a `semantic` config may name; client-supplied embedder API keys are always refused (configs are cached and saved)',
      readmeDoc: 'OpenAI-compatible embedders a `semantic` config may name',
      readBy: 'both',
    }),
  },
  /** What one HTTP connection and request may take: sizes and Node's clocks. */
  http: {
    port: setting({
      env: 'PORT',
      default: 3000,
      parse: port,
      doc: 'HTTP port',
      readmeDoc: 'HTTP port',
      readBy: 'server',
    }),
    host: setting({
      env: 'HOST',
      default: '0.0.0.0',
      parse: z.string(),
      doc: 'HTTP listen address',
      readBy: 'server',
    }),
    bodyLimitBytes: setting({
      env: 'BODY_LIMIT_BYTES',
      default: 12 * 1024 * 1024,
      parse: positiveInteger,
      doc: 'largest request body',
      readBy: 'server',
    }),
    maxBatchSize: setting({
      env: 'MAX_BATCH_SIZE',
      default: 20,
      parse: positiveInteger,
      doc: 'largest tRPC batch',
      readBy: 'server',
    }),
    headersTimeoutMs: setting({
      env: 'HTTP_HEADERS_TIMEOUT_MS',
      default: 20_000,
      parse: positiveInteger,
      doc: 'time a client has to send its headers (at most `HTTP_REQUEST_TIMEOUT_MS`); past it, 408 `TIMEOUT` in the envelope and the connection closed',
      readBy: 'server',
    }),
    requestTimeoutMs: setting({
      env: 'HTTP_REQUEST_TIMEOUT_MS',
      default: 300_000,
      parse: positiveInteger,
      doc: 'time a client has to send its whole request, body included (Node checks it every few seconds); past it, 408 `TIMEOUT` and the connection closed',
      readBy: 'server',
    }),
    connectionTimeoutMs: setting({
      env: 'HTTP_CONNECTION_TIMEOUT_MS',
      default: 120_000,
      parse: positiveInteger,
      doc: 'idle socket timeout (event streams exempt)',
      readBy: 'server',
    }),
    keepAliveTimeoutMs: setting({
      env: 'HTTP_KEEP_ALIVE_TIMEOUT_MS',
      default: 65_000,
      parse: positiveInteger,
      doc: 'idle keep-alive connection timeout',
      readBy: 'server',
    }),
    shutdownTimeoutMs: setting({
      env: 'SHUTDOWN_TIMEOUT_MS',
      default: 10_000,
      parse: positiveInteger,
      doc: 'how long SIGTERM/SIGINT may take before the process gives up with exit 1; requests in flight get half of it, then connections still open (a client that never finishes sending) are cut',
      readBy: 'server',
    }),
  },
  /** How much each API key (and each client address) may ask of a server. */
  requestQuotas: {
    windowSeconds: setting({
      env: 'RATE_LIMIT_WINDOW_SECONDS',
      default: 60,
      parse: positiveInteger,
      doc: 'window of every rate limit (sliding)',
      readBy: 'server',
    }),
    preview: setting({
      env: 'RATE_LIMIT_PREVIEW',
      default: 120,
      parse: callsPerWindow,
      doc: 'previews per window per API key; `0` = unlimited (see [Operating](operating.md))',
      readBy: 'server',
    }),
    compare: setting({
      env: 'RATE_LIMIT_COMPARE',
      default: 30,
      parse: callsPerWindow,
      doc: 'comparisons per window per API key; `0` = unlimited',
      readBy: 'server',
    }),
    apply: setting({
      env: 'RATE_LIMIT_APPLY',
      default: 30,
      parse: callsPerWindow,
      doc: 'operations started per window per API key; `0` = unlimited',
      readBy: 'server',
    }),
    reads: setting({
      env: 'RATE_LIMIT_READS',
      default: 600,
      parse: callsPerWindow,
      doc: 'other calls (reads) per window per API key; `0` = unlimited',
      readBy: 'server',
    }),
    writes: setting({
      env: 'RATE_LIMIT_WRITES',
      default: 120,
      parse: callsPerWindow,
      doc: 'writes (uploads, document create and delete) per window per API key; `0` = unlimited',
      readBy: 'server',
    }),
    documents: setting({
      env: 'RATE_LIMIT_DOCUMENTS',
      default: 10_000,
      parse: callsPerWindow,
      doc: 'documents per window per API key through the bulk API (`documents.createMany` and the NDJSON import route, each of which also counts one write); items past it are answered `refused` with `RATE_LIMITED` and its `retryAfter`, the others stored; `0` = unlimited',
      readBy: 'server',
    }),
    authFailures: setting({
      env: 'RATE_LIMIT_AUTH_FAILURES',
      default: 30,
      parse: callsPerWindow,
      doc: 'failed authentications per window per client address; past it the address gets 429 `RATE_LIMITED` on every API route (valid keys too) before its body is read or its key looked up; `0` = off',
      readBy: 'server',
    }),
    subscriptionsPerKey: setting({
      env: 'MAX_SSE_CONNECTIONS_PER_KEY',
      default: 10,
      parse: positiveInteger,
      doc: 'open subscription streams per API key per server process',
      readBy: 'server',
    }),
    uploadsPerKey: setting({
      env: 'MAX_UPLOADS_PER_KEY',
      default: 4,
      parse: positiveInteger,
      doc: 'uploads one API key may have in flight per server process; more answer 429',
      readBy: 'server',
    }),
  },
  /** How long a query or mutation may run. */
  requestBudget: {
    timeoutMs: setting({
      env: 'REQUEST_TIMEOUT_MS',
      default: 30_000,
      parse: positiveInteger,
      doc: 'time budget of every query and mutation: chunking still running when it is spent is abandoned (its thread terminated and replaced) and the call answers 422 `BUDGET_EXCEEDED`; a client that goes away has its work abandoned the same way',
      readmeDoc: 'time budget of every query and mutation (422 `BUDGET_EXCEEDED` past it)',
      readBy: 'server',
    }),
  },
  /** How long a collection's export may stream. */
  exports: {
    timeoutMs: setting({
      env: 'EXPORT_TIMEOUT_MS',
      default: 1_800_000,
      parse: timerMs,
      doc: 'time one export (`GET …/export`) may stream, checked before each batch it reads; past it the stream ends with a last line `{"error":{"code":"BUDGET_EXCEEDED",…}}` instead of a chunk (resume with `afterDocumentId`)',
      readmeDoc: 'time one export may stream (it then ends with a `BUDGET_EXCEEDED` error line)',
      readBy: 'server',
    }),
  },
  /** How much memory cached previews take in one server. */
  previewCache: {
    localBytes: setting({
      env: 'PREVIEW_LOCAL_CACHE_MB',
      default: 64,
      parse: mebibytes(z.coerce.number().nonnegative()),
      doc: "parsed previews also kept in each server's memory in front of the shared cache, counted by the size of their JSON (about 1.7× that in the heap, plus each one's serialised answers once served: the default bounds them to ~170 MiB and holds a popular set of ~43 MB, which 32 left to be read back from Redis and prepared again on ~5% of requests); a hot preview then costs no round trip at all: deletes are announced to every server over pub/sub and a kept preview expires with its stored copy (until a server hears the announcements it checks the shared cache instead); `0` turns it off",
      readBy: 'server',
    }),
    maxEntryBytes: setting({
      env: 'PREVIEW_CACHE_MAX_ENTRY_MB',
      default: 8,
      parse: mebibytes(z.coerce.number().nonnegative()),
      doc: 'a preview whose JSON would be larger is answered but not cached (`getPreview` then answers NOT_FOUND for it), so one preview cannot fill the cache',
      readBy: 'server',
    }),
  },
  /** What uploads being read may hold, and how slow their senders may be. */
  uploads: {
    memoryBytes: setting({
      env: 'UPLOAD_MEMORY_MB',
      default: 256,
      parse: mebibytes(z.coerce.number().positive()),
      doc: 'memory all uploads being read in one server may hold together (leased in 1 MiB segments); an upload that finds none free waits',
      readBy: 'server',
    }),
    memoryWaitMs: setting({
      env: 'UPLOAD_WAIT_MS',
      default: 30_000,
      parse: positiveInteger,
      doc: 'how long an upload waits for that memory before it answers 503 `RESOURCE_EXHAUSTED` with `Retry-After` (the unsent rest of its body is read and dropped, so the client gets the answer)',
      readBy: 'server',
    }),
    idleTimeoutMs: setting({
      env: 'UPLOAD_IDLE_TIMEOUT_MS',
      default: 30_000,
      parse: positiveInteger,
      doc: 'an upload that sends nothing for this long answers 504 `TIMEOUT` and its connection is closed (its memory goes back to the pool)',
      readBy: 'server',
    }),
    minBytesPerSecond: setting({
      env: 'UPLOAD_MIN_BYTES_PER_SECOND',
      default: 16_384,
      parse: nonNegativeInteger,
      doc: 'slowest average an upload may arrive at, counted after its first `UPLOAD_IDLE_TIMEOUT_MS`; slower answers 504 `TIMEOUT` and its connection is closed',
      readBy: 'server',
    }),
  },
  /**
   * What converting one uploaded file (PDF, DOCX, HTML) may spend, and the threads it runs on; past
   * any budget the file is refused with 422 `INVALID_DOCUMENT` and nothing is stored.
   */
  conversion: {
    threads: setting({
      env: 'CONVERSION_THREADS',
      default: 1,
      parse: positiveInteger,
      doc: 'worker threads that convert uploaded files, apart from the chunking threads (only they load the PDF, DOCX and HTML parsers); more uploads wait their turn',
      readBy: 'server',
    }),
    memoryMb: setting({
      env: 'CONVERSION_MEMORY_MB',
      default: 256,
      parse: positiveInteger.min(MIN_CONVERSION_MEMORY_MB),
      doc: `heap one conversion thread may grow to (at least ${MIN_CONVERSION_MEMORY_MB}: the parsers take ~30 MB); a file that needs more kills its thread (replaced) and is refused`,
      readBy: 'server',
    }),
    idleMs: setting({
      env: 'CONVERSION_IDLE_MS',
      default: 10_000,
      parse: positiveInteger,
      doc: 'a conversion thread idle this long exits, returning its memory (the next upload of a file starts a new one)',
      readBy: 'server',
    }),
    timeoutMs: setting({
      env: 'CONVERSION_TIMEOUT_MS',
      default: 60_000,
      parse: timerMs,
      doc: 'time one conversion may take; past it its thread is terminated and the file refused',
      readBy: 'server',
    }),
    maxPages: setting({
      env: 'CONVERSION_MAX_PAGES',
      default: 5_000,
      parse: positiveInteger,
      doc: 'pages a PDF may have',
      readBy: 'server',
    }),
    maxOutputChars: setting({
      env: 'CONVERSION_MAX_OUTPUT_CHARS',
      default: 20_000_000,
      parse: positiveInteger,
      doc: 'characters of text a PDF, DOCX or HTML file may convert to',
      readBy: 'server',
    }),
    maxInflatedBytes: setting({
      env: 'CONVERSION_MAX_INFLATED_MB',
      default: 256,
      parse: mebibytes(z.coerce.number().positive()),
      doc: 'size a DOCX (a zip) may declare its parts to inflate to',
      readBy: 'server',
    }),
    maxCompressionRatio: setting({
      env: 'CONVERSION_MAX_COMPRESSION_RATIO',
      default: 200,
      parse: positiveInteger,
      doc: 'ratio of that inflated size to the DOCX file’s own (zip bombs declare far more)',
      readBy: 'server',
    }),
    maxNestingDepth: setting({
      env: 'CONVERSION_MAX_NESTING_DEPTH',
      default: 512,
      parse: positiveInteger,
      doc: 'element nesting an HTML or DOCX document may have',
      readBy: 'server',
    }),
  },
  /** Hugging Face tokenizers a config may size with (`tokenizer: "hf:<name>"`). */
  tokenizers: {
    dir: setting({
      env: 'CHUNKFLOW_TOKENIZERS_DIR',
      default: undefined,
      parse: optionalText,
      defaultText: 'unset → only `cl100k_base` and `o200k_base`',
      doc: 'folder of Hugging Face tokenizers laid out as models ship them: `<dir>/<name>/tokenizer.json` is `tokenizer: "hf:<name>"`; `chunking.strategies` lists the names found',
      readBy: 'both',
    }),
    maxBytes: setting({
      env: 'TOKENIZER_MAX_MB',
      default: 64,
      parse: mebibytes(z.coerce.number().positive()),
      doc: 'largest tokenizer.json loaded; a larger one is refused (`INVALID_CONFIG`). Each is loaded once per thread that uses it',
      readBy: 'both',
    }),
  },
  /** The threads that chunk previews and comparisons off the event loop. */
  chunkingPool: {
    threads: setting({
      env: 'CHUNKING_THREADS',
      // At least two: with one, every preview to compute queued behind a long one (a 100 KB
      // document in tokens) while the event loop answered the cached ones from the other core.
      default: Math.max(2, availableParallelism() - 1),
      parse: positiveInteger,
      defaultText: 'cores − 1 (at least 2)',
      doc: 'worker threads that chunk previews and comparisons, compute their metrics and run content analysis (`recommend`) off the event loop',
      readmeDoc: 'worker threads that chunk off the event loop',
      readBy: 'server',
    }),
    // Chunking and metrics cost ~0.2 ms per 1,000 chars on the event loop: 16,000 keeps each
    // inline stall near 3 ms.
    offloadChars: setting({
      env: 'CHUNKING_OFFLOAD_CHARS',
      default: 16_000,
      parse: nonNegativeInteger,
      doc: 'requests whose estimated work (input length × chunkSize/(chunkSize − overlap), per hierarchy level) reaches this run on those threads; cheaper ones inline. `semantic`, `code`, `hybrid`, `markdown` and token sizing always run on the threads above 1,000 characters',
      readBy: 'server',
    }),
  },
  /** How operations (background chunking of a collection) run and are followed. */
  operations: {
    embeddedConcurrency: setting({
      env: 'EMBEDDED_JOB_CONCURRENCY',
      default: 2,
      parse: positiveInteger,
      doc: 'slices of operations the server runs at once itself when there is no `REDIS_URL` (no worker processes)',
      readBy: 'server',
    }),
    jobTimeoutMs: setting({
      env: 'JOB_TIMEOUT_MS',
      default: 60 * 60 * 1000,
      parse: positiveInteger,
      doc: 'an attempt at one slice of an operation running longer fails the operation with `BUDGET_EXCEEDED` (not retried)',
      readBy: 'both',
    }),
    threads: setting({
      env: 'OPERATION_THREADS',
      default: availableParallelism(),
      parse: positiveInteger,
      defaultText: 'cores',
      doc: "worker threads that chunk operations' documents, shared by the operations a process runs (a worker process, or the server without `REDIS_URL`)",
      readBy: 'both',
    }),
    sliceDocuments: setting({
      env: 'OPERATION_SLICE_DOCUMENTS',
      default: 1_000,
      parse: positiveInteger,
      doc: "documents per slice: an operation's plan is cut into slices, jobs of their own that any worker process takes, so several workers share one large operation",
      readBy: 'both',
    }),
    batchDocuments: setting({
      env: 'OPERATION_BATCH_DOCUMENTS',
      default: 64,
      parse: positiveInteger,
      doc: 'most documents written in one transaction (their chunks, size summaries and the progress counters together)',
      readBy: 'both',
    }),
    progressIntervalMs: setting({
      env: 'PROGRESS_EVENT_INTERVAL_MS',
      default: 500,
      parse: nonNegativeInteger,
      doc: 'progress events of one operation a process publishes are at least this far apart (the latest counters are sent when it has passed); status changes are published at once. 0: one event per written batch',
      readBy: 'both',
    }),
    progressIdleCheckMs: setting({
      env: 'PROGRESS_IDLE_CHECK_MS',
      default: 5_000,
      parse: timerMs,
      doc: "how long a quiet progress stream waits for an announcement before it re-reads the operation's log and state itself (a lost announcement, a worker that died); at most a day",
      readBy: 'both',
    }),
  },
  /** A worker process: how many operations it runs, and how jobs of dead workers are taken over. */
  worker: {
    concurrency: setting({
      env: 'WORKER_CONCURRENCY',
      default: 2,
      parse: positiveInteger,
      doc: 'slices of operations one worker process runs at once (they share its `OPERATION_THREADS`)',
      readBy: 'worker',
    }),
    lockDurationMs: setting({
      env: 'WORKER_LOCK_DURATION_MS',
      default: 30_000,
      parse: positiveInteger,
      doc: 'a job whose worker stops renewing its lock is taken over',
      readBy: 'worker',
    }),
    stalledIntervalMs: setting({
      env: 'WORKER_STALLED_INTERVAL_MS',
      default: 30_000,
      parse: positiveInteger,
      doc: 'how often workers look for jobs of dead workers',
      readBy: 'worker',
    }),
    maxStalledCount: setting({
      env: 'WORKER_MAX_STALLED_COUNT',
      default: 2,
      parse: nonNegativeInteger,
      doc: 'takeovers of one job before its operation is failed (0: fail at once)',
      readBy: 'worker',
    }),
    shutdownTimeoutMs: setting({
      env: 'WORKER_SHUTDOWN_TIMEOUT_MS',
      default: 30_000,
      parse: positiveInteger,
      doc: 'SIGTERM waits this long for running operations, then exits',
      readBy: 'worker',
    }),
    niceness: setting({
      env: 'WORKER_NICENESS',
      default: 10,
      parse: nonNegativeInteger.max(19),
      doc: 'CPU priority of the worker and its chunking threads (0 normal … 19 lowest), so that serving on shared cores goes first',
      readBy: 'worker',
    }),
    metricsPort: setting({
      env: 'WORKER_METRICS_PORT',
      default: undefined,
      parse: port.optional(),
      defaultText: 'unset',
      doc: "serve this worker's Prometheus `/metrics` on this port (0: any free port, logged)",
      readBy: 'worker',
    }),
  },
};
