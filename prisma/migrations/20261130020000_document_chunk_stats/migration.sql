-- Per-document chunk size summaries: collection statistics sum these instead of reading every chunk.
CREATE TABLE "document_chunk_stats" (
    "document_id" UUID NOT NULL,
    "collection_id" UUID NOT NULL,
    "chunk_count" INTEGER NOT NULL,
    "char_total" BIGINT NOT NULL,
    "min_chunk_size" INTEGER NOT NULL,
    "max_chunk_size" INTEGER NOT NULL,
    "chunk_sizes" INTEGER[],
    "size_counts" INTEGER[],

    CONSTRAINT "document_chunk_stats_pkey" PRIMARY KEY ("document_id")
);

-- CreateIndex
CREATE INDEX "document_chunk_stats_collection_id_idx" ON "document_chunk_stats"("collection_id");

-- AddForeignKey
ALTER TABLE "document_chunk_stats" ADD CONSTRAINT "document_chunk_stats_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "document_chunk_stats" ADD CONSTRAINT "document_chunk_stats_collection_id_fkey" FOREIGN KEY ("collection_id") REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Summarises the given documents' stored chunks: the one definition of a summary, used each time
-- a document's chunks are replaced and to fill the table from chunks written before it existed.
-- Rows are upserted (not deleted and inserted) so a rewrite can stay on its page (a HOT update).
CREATE FUNCTION "summarise_document_chunks"("documents" UUID[]) RETURNS VOID LANGUAGE sql AS $$
    INSERT INTO "document_chunk_stats" ("document_id", "collection_id", "chunk_count", "char_total",
        "min_chunk_size", "max_chunk_size", "chunk_sizes", "size_counts")
    SELECT "document_id", "collection_id", sum("chunks")::int, sum("char_count"::bigint * "chunks"),
        min("char_count"), max("char_count"),
        array_agg("char_count" ORDER BY "char_count"), array_agg("chunks" ORDER BY "char_count")
    FROM (
        SELECT "document_id", "collection_id", "char_count", count(*)::int AS "chunks"
        FROM "chunks" WHERE "document_id" = ANY ("documents")
        GROUP BY "document_id", "collection_id", "char_count"
    ) AS "sizes"
    GROUP BY "document_id", "collection_id"
    ON CONFLICT ("document_id") DO UPDATE SET
        "chunk_count" = EXCLUDED."chunk_count", "char_total" = EXCLUDED."char_total",
        "min_chunk_size" = EXCLUDED."min_chunk_size", "max_chunk_size" = EXCLUDED."max_chunk_size",
        "chunk_sizes" = EXCLUDED."chunk_sizes", "size_counts" = EXCLUDED."size_counts";
    DELETE FROM "document_chunk_stats" AS "stats"
    WHERE "stats"."document_id" = ANY ("documents")
        AND NOT EXISTS (SELECT 1 FROM "chunks" WHERE "chunks"."document_id" = "stats"."document_id");
$$;

SELECT "summarise_document_chunks"(ARRAY(SELECT DISTINCT "document_id" FROM "chunks"));
