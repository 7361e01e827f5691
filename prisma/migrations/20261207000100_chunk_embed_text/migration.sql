-- Retrieval-ready chunks: each chunk keeps the context header its embedText starts with
-- (embedText = embed_header || content, so the content is not stored twice) and the exact token
-- count of that whole text, counted once where it was chunked so exporting never re-tokenizes.
-- Chunks stored before have no header; their embed_token_count is null and reads as token_count.
-- Both columns are added without a table rewrite (a constant default, a nullable column).

-- AlterTable
ALTER TABLE "chunks" ADD COLUMN "embed_header" TEXT NOT NULL DEFAULT '',
ADD COLUMN "embed_token_count" INTEGER;

-- Statistics report embedText sizes beside content sizes: each document's summary also keeps the
-- total, smallest and largest embedText length (header + content, in characters).
ALTER TABLE "document_chunk_stats" ADD COLUMN "embed_char_total" BIGINT NOT NULL DEFAULT '0'::bigint,
ADD COLUMN "min_embed_size" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN "max_embed_size" INTEGER NOT NULL DEFAULT 0;

CREATE OR REPLACE FUNCTION "summarise_document_chunks"("documents" UUID[]) RETURNS VOID LANGUAGE sql AS $$
    INSERT INTO "document_chunk_stats" ("document_id", "collection_id", "chunk_count", "char_total",
        "min_chunk_size", "max_chunk_size", "chunk_sizes", "size_counts", "embed_char_total",
        "min_embed_size", "max_embed_size")
    SELECT "document_id", "collection_id", sum("chunks")::int, sum("char_count"::bigint * "chunks"),
        min("char_count"), max("char_count"),
        array_agg("char_count" ORDER BY "char_count"), array_agg("chunks" ORDER BY "char_count"),
        sum("embed_total"), min("embed_min"), max("embed_max")
    FROM (
        SELECT "chunks"."document_id", "chunks"."collection_id", "chunks"."char_count", count(*)::int AS "chunks",
            sum("chunks"."char_count" + length("chunks"."embed_header"))::bigint AS "embed_total",
            min("chunks"."char_count" + length("chunks"."embed_header")) AS "embed_min",
            max("chunks"."char_count" + length("chunks"."embed_header")) AS "embed_max"
        FROM "chunk_sets" JOIN "chunks" ON "chunks"."set_id" = "chunk_sets"."id"
        WHERE "chunk_sets"."document_id" = ANY ("documents") AND "chunk_sets"."state" = 'live'
        GROUP BY "chunks"."document_id", "chunks"."collection_id", "chunks"."char_count"
    ) AS "sizes"
    GROUP BY "document_id", "collection_id"
    ON CONFLICT ("document_id") DO UPDATE SET
        "chunk_count" = EXCLUDED."chunk_count", "char_total" = EXCLUDED."char_total",
        "min_chunk_size" = EXCLUDED."min_chunk_size", "max_chunk_size" = EXCLUDED."max_chunk_size",
        "chunk_sizes" = EXCLUDED."chunk_sizes", "size_counts" = EXCLUDED."size_counts",
        "embed_char_total" = EXCLUDED."embed_char_total", "min_embed_size" = EXCLUDED."min_embed_size",
        "max_embed_size" = EXCLUDED."max_embed_size";
    DELETE FROM "document_chunk_stats" AS "stats"
    WHERE "stats"."document_id" = ANY ("documents")
        AND NOT EXISTS (
            SELECT 1 FROM "chunk_sets" JOIN "chunks" ON "chunks"."set_id" = "chunk_sets"."id"
            WHERE "chunk_sets"."document_id" = "stats"."document_id" AND "chunk_sets"."state" = 'live');
$$;

-- Chunks stored so far have no header: their embedText sizes are their content sizes.
UPDATE "document_chunk_stats" SET "embed_char_total" = "char_total", "min_embed_size" = "min_chunk_size",
    "max_embed_size" = "max_chunk_size";
