-- A chunk row is checked against one key only: its set's. The operation that wrote the chunks is
-- the set's (one operation writes a whole set), so it moves from every chunk to the set, and the
-- chunks' keys to their collection and to their operation go. Each was a check per row written
-- (an index probe and a row lock), and every row of an operation locked the same collection row
-- and the same operation row, which the operation's own batches update: on a 2-core machine the
-- two checks and the operation_id index were about a third of what PostgreSQL spent per chunk.
-- Integrity stays whole: a chunk's (collection_id, document_id, set_id) references its set, whose
-- (collection_id, document_id) references its document, and so its collection. Deleting a
-- document deletes its chunks through its sets; deleting a collection deletes its chunks first,
-- by collection (collections.ts), then the rest by cascade.
--
-- Processes of the previous release, still running during a rollout, name operation_id in the
-- chunk rows they write: their batches fail on the missing column and are retried, as any failed
-- batch is, by whichever worker takes the job next.

-- AlterTable
ALTER TABLE "chunk_sets" ADD COLUMN "operation_id" UUID;

-- Each set's operation, from its first chunk (every chunk of a set has its set's).
UPDATE "chunk_sets" s SET "operation_id" = (
  SELECT c."operation_id" FROM "chunks" c
  WHERE c."collection_id" = s."collection_id" AND c."set_id" = s."id"
  ORDER BY c."chunk_index" LIMIT 1);

-- CreateIndex
CREATE INDEX "chunk_sets_operation_id_idx" ON "chunk_sets"("operation_id");

-- AddForeignKey
ALTER TABLE "chunk_sets" ADD CONSTRAINT "chunk_sets_operation_id_fkey" FOREIGN KEY ("operation_id") REFERENCES "operations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- DropForeignKey
ALTER TABLE "chunks" DROP CONSTRAINT "chunks_collection_id_fkey";

-- AlterTable (its foreign key and index go with it)
ALTER TABLE "chunks" DROP COLUMN "operation_id";
