import { ConflictError, InvalidStateTransitionError, NotFoundError } from '@chunkflow/errors';
import { isUniqueViolation } from '../errors.ts';
import { isId } from '../ids.ts';
import { afterTimeCursor, newestFirst, timeCursorOf, toPage } from '../pagination.ts';
import type { Prisma, ReadClient } from '../prisma-client.ts';
import type {
  JsonObject,
  JsonValue,
  NewOperation,
  Operation,
  OperationFilter,
  OperationProgress,
  OperationStatus,
  OperationTransitionPatch,
  Page,
  PageRequest,
} from '../types.ts';
import { assertLegalTransition, terminalStatuses } from './operation-transitions.ts';
import { requireCollection } from './scope.ts';

export interface OperationRepository {
  /**
   * A `pending` operation; NotFoundError when the tenant has no such collection, ConflictError
   * (details.activeOperationId) while another operation of the collection is pending or processing.
   */
  create(tenantId: string, input: NewOperation): Promise<Operation>;
  get(tenantId: string, id: string): Promise<Operation | null>;
  /** Newest first. */
  list(tenantId: string, filter: OperationFilter, page: PageRequest): Promise<Page<Operation>>;
  /**
   * Moves the status from one of `from` to `to` with one compare-and-set UPDATE, so two racing
   * writers cannot both win. Entering `processing` stamps `startedAt`; entering a terminal status
   * stamps `completedAt` and `processingMs`. InvalidStateTransitionError when a `from → to` is not
   * legal or the operation is in another status; NotFoundError when it does not exist.
   */
  transition(
    id: string,
    from: readonly OperationStatus[],
    to: OperationStatus,
    patch?: OperationTransitionPatch,
  ): Promise<Operation>;
  /**
   * Sets progress counters while the operation is `processing`; returns the status it is in
   * afterwards (anything but `processing` means stop: e.g. it was cancelled), null if it is gone.
   */
  setProgress(id: string, progress: OperationProgress): Promise<OperationStatus | null>;
  /** Like setProgress, adding to the counters instead of replacing them. */
  incrementProgress(id: string, delta: OperationProgress): Promise<OperationStatus | null>;
  /** For workers, which hold only the operation id. */
  getById(id: string): Promise<Operation | null>;
  /** Its status alone (a running job polls it to notice a cancellation); null when it is gone. */
  statusOf(id: string): Promise<OperationStatus | null>;
  /** The documents it works through, as stored when it started (empty before, or when it has none). */
  documentPlan(id: string): Promise<string[]>;
  /**
   * Its plan and the finished documents of each slice of it (empty before it started, and for an
   * operation started before slices existed); null when it is gone.
   */
  slices(id: string): Promise<{ plan: string[]; sliceProgress: number[] } | null>;
  /**
   * Gives an operation whose slices were never set (one started before they existed) these; answers
   * its slices as they are afterwards (another process may have set them first).
   */
  initialiseSlices(id: string, sliceProgress: number[]): Promise<number[]>;
  /**
   * Operations not ended yet, oldest first, across tenants: an embedded server, whose queue lives
   * in memory, queues them again when it starts.
   */
  unfinished(): Promise<{ id: string; correlationId: string | null }[]>;
}

type OperationRow = Omit<Operation, 'config' | 'error'> & { config: unknown; error: unknown };

export function toOperation(row: OperationRow): Operation {
  return { ...row, config: row.config as JsonObject, error: row.error as JsonValue | null };
}

/** `reads` serves `list` (a read replica when configured); everything else uses `prisma`. */
export function operationRepository(prisma: Prisma, reads: ReadClient = prisma): OperationRepository {
  async function statusOf(id: string): Promise<OperationStatus | null> {
    const row = await prisma.operation.findUnique({ where: { id }, select: { status: true } });
    return row?.status ?? null;
  }

  async function updateProgress(id: string, data: object): Promise<OperationStatus | null> {
    if (!isId(id)) return null;
    const { count } = await prisma.operation.updateMany({ where: { id, status: 'processing' }, data });
    return count === 1 ? 'processing' : statusOf(id);
  }

  return {
    async create(tenantId, input) {
      await requireCollection(prisma, tenantId, input.collectionId);
      try {
        const row = await prisma.operation.create({
          data: {
            tenantId,
            collectionId: input.collectionId,
            type: input.type ?? 'chunking',
            strategy: input.strategy,
            config: input.config,
            documentIds: input.documentIds ?? [],
            documentsTotal: input.documentsTotal ?? 0,
            correlationId: input.correlationId ?? null,
          },
        });
        return toOperation(row);
      } catch (error) {
        // The only unique index of operations besides the id: one active operation per collection.
        if (!isUniqueViolation(error)) throw error;
        const active = await prisma.operation.findFirst({
          where: { collectionId: input.collectionId, status: { in: ['pending', 'processing'] } },
          select: { id: true },
        });
        throw new ConflictError(
          'Another operation of this collection is pending or processing; apply again once it ends',
          { cause: error, details: { activeOperationId: active?.id ?? null } },
        );
      }
    },

    async get(tenantId, id) {
      if (!isId(id)) return null;
      const row = await prisma.operation.findFirst({ where: { id, tenantId } });
      return row ? toOperation(row) : null;
    },

    async list(tenantId, { collectionId, status }, { cursor, limit }) {
      if (collectionId !== undefined && !isId(collectionId)) return { items: [], nextCursor: null };
      const rows = await reads.operation.findMany({
        where: {
          tenantId,
          ...(collectionId === undefined ? {} : { collectionId }),
          ...(status === undefined ? {} : { status }),
          ...afterTimeCursor(cursor),
        },
        orderBy: newestFirst,
        take: limit + 1,
      });
      return toPage(rows, limit, timeCursorOf, toOperation);
    },

    async transition(id, from, to, patch = {}) {
      for (const status of from) assertLegalTransition(status, to);
      if (!isId(id)) throw new NotFoundError('Operation', id);
      const terminal = terminalStatuses.includes(to);
      const setsError = patch.error !== undefined;
      const updated = await prisma.$queryRaw<{ id: string }[]>`
        UPDATE "operations" SET
          "status" = ${to}::"operation_status",
          "updated_at" = now(),
          "started_at" = CASE WHEN ${to === 'processing'} THEN COALESCE("started_at", now()) ELSE "started_at" END,
          "completed_at" = CASE WHEN ${terminal} THEN now() ELSE "completed_at" END,
          "processing_ms" = CASE WHEN ${terminal} AND "started_at" IS NOT NULL
            THEN round(EXTRACT(EPOCH FROM (now() - "started_at")) * 1000)::int ELSE "processing_ms" END,
          "documents_total" = COALESCE(${patch.documentsTotal ?? null}::int, "documents_total"),
          "document_plan" = COALESCE(${patch.documentPlan ?? null}::uuid[], "document_plan"),
          "slice_progress" = COALESCE(${patch.sliceProgress ?? null}::int[], "slice_progress"),
          "error" = CASE WHEN ${setsError} THEN ${setsError ? JSON.stringify(patch.error) : null}::jsonb ELSE "error" END
        WHERE "id" = ${id}::uuid AND "status" = ANY(${[...from]}::text[]::"operation_status"[])
        RETURNING "id"`;
      const row = await prisma.operation.findUnique({ where: { id } });
      if (!row) throw new NotFoundError('Operation', id);
      // The compare-and-set missed: the operation was in none of `from`.
      if (updated.length === 0) throw new InvalidStateTransitionError(row.status, to);
      return toOperation(row);
    },

    setProgress: (id, progress) => updateProgress(id, progress),

    incrementProgress: (id, delta) =>
      updateProgress(
        id,
        Object.fromEntries(Object.entries(delta).map(([field, value]) => [field, { increment: value }])),
      ),

    async getById(id) {
      if (!isId(id)) return null;
      const row = await prisma.operation.findUnique({ where: { id } });
      return row ? toOperation(row) : null;
    },

    statusOf: (id) => (isId(id) ? statusOf(id) : Promise.resolve(null)),

    async documentPlan(id) {
      if (!isId(id)) return [];
      const row = await prisma.operation.findUnique({ where: { id }, select: { documentPlan: true } });
      return row?.documentPlan ?? [];
    },

    async slices(id) {
      if (!isId(id)) return null;
      const row = await prisma.operation.findUnique({
        where: { id },
        select: { documentPlan: true, sliceProgress: true },
      });
      return row ? { plan: row.documentPlan, sliceProgress: row.sliceProgress } : null;
    },

    async initialiseSlices(id, sliceProgress) {
      await prisma.$executeRaw`
        UPDATE "operations" SET "slice_progress" = ${sliceProgress}::int[]
        WHERE "id" = ${id}::uuid AND coalesce(cardinality("slice_progress"), 0) = 0`;
      const row = await prisma.operation.findUnique({ where: { id }, select: { sliceProgress: true } });
      return row?.sliceProgress ?? [];
    },

    unfinished() {
      return prisma.operation.findMany({
        where: { status: { in: ['pending', 'processing'] } },
        select: { id: true, correlationId: true },
        orderBy: { createdAt: 'asc' },
      });
    },
  };
}
