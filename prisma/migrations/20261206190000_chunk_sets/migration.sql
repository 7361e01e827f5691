-- Chunk sets: a document's new chunks are written into a set of their own in short statements,
-- then one short transaction makes that set the live one. Readers see live sets only, so they see
-- a document's old chunks or its new ones, never a mix, and no transaction lasts as long as the
-- writing of a large document (on the embedded database, a single session, one would hold every
-- other statement until it ended).

-- CreateEnum
CREATE TYPE "chunk_set_state" AS ENUM ('writing', 'live', 'retired');

-- CreateTable
CREATE TABLE "chunk_sets" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "document_id" UUID NOT NULL,
    "state" "chunk_set_state" NOT NULL DEFAULT 'writing',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "chunk_sets_pkey" PRIMARY KEY ("id")
);

-- The chunks stored so far: one live set per document that has any.
INSERT INTO "chunk_sets" ("document_id", "state")
SELECT DISTINCT "document_id", 'live'::"chunk_set_state" FROM "chunks";

ALTER TABLE "chunks" ADD COLUMN "set_id" UUID;
UPDATE "chunks" SET "set_id" = "chunk_sets"."id"
FROM "chunk_sets" WHERE "chunk_sets"."document_id" = "chunks"."document_id";
ALTER TABLE "chunks" ALTER COLUMN "set_id" SET NOT NULL;

-- DropIndex
DROP INDEX "chunks_document_id_chunk_index_key";

-- CreateIndex
CREATE INDEX "chunks_document_id_idx" ON "chunks"("document_id");

-- CreateIndex
CREATE UNIQUE INDEX "chunks_set_id_chunk_index_key" ON "chunks"("set_id", "chunk_index");

-- CreateIndex
CREATE INDEX "chunk_sets_document_id_idx" ON "chunk_sets"("document_id");

-- CreateIndex
CREATE UNIQUE INDEX "chunk_sets_one_live_per_document" ON "chunk_sets"("document_id") WHERE "state" = 'live';

-- AddForeignKey
ALTER TABLE "chunk_sets" ADD CONSTRAINT "chunk_sets_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chunks" ADD CONSTRAINT "chunks_set_id_fkey" FOREIGN KEY ("set_id") REFERENCES "chunk_sets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A document's summary is of its live set's chunks only.
CREATE OR REPLACE FUNCTION "summarise_document_chunks"("documents" UUID[]) RETURNS VOID LANGUAGE sql AS $$
    INSERT INTO "document_chunk_stats" ("document_id", "collection_id", "chunk_count", "char_total",
        "min_chunk_size", "max_chunk_size", "chunk_sizes", "size_counts")
    SELECT "document_id", "collection_id", sum("chunks")::int, sum("char_count"::bigint * "chunks"),
        min("char_count"), max("char_count"),
        array_agg("char_count" ORDER BY "char_count"), array_agg("chunks" ORDER BY "char_count")
    FROM (
        SELECT "chunks"."document_id", "chunks"."collection_id", "chunks"."char_count", count(*)::int AS "chunks"
        FROM "chunk_sets" JOIN "chunks" ON "chunks"."set_id" = "chunk_sets"."id"
        WHERE "chunk_sets"."document_id" = ANY ("documents") AND "chunk_sets"."state" = 'live'
        GROUP BY "chunks"."document_id", "chunks"."collection_id", "chunks"."char_count"
    ) AS "sizes"
    GROUP BY "document_id", "collection_id"
    ON CONFLICT ("document_id") DO UPDATE SET
        "chunk_count" = EXCLUDED."chunk_count", "char_total" = EXCLUDED."char_total",
        "min_chunk_size" = EXCLUDED."min_chunk_size", "max_chunk_size" = EXCLUDED."max_chunk_size",
        "chunk_sizes" = EXCLUDED."chunk_sizes", "size_counts" = EXCLUDED."size_counts";
    DELETE FROM "document_chunk_stats" AS "stats"
    WHERE "stats"."document_id" = ANY ("documents")
        AND NOT EXISTS (
            SELECT 1 FROM "chunk_sets" JOIN "chunks" ON "chunks"."set_id" = "chunk_sets"."id"
            WHERE "chunk_sets"."document_id" = "stats"."document_id" AND "chunk_sets"."state" = 'live');
$$;
