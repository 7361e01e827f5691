-- Chunks partitioned by hash of their collection: a collection's chunk rows, and the index entries
-- its listing, export, re-chunk and deletes read or write, are in one partition of sixteen, so that
-- work and the dead rows a re-chunk leaves (for VACUUM, or pg_repack of one partition) stay bounded
-- by one sixteenth of the table. Sixteen: a chunk read by id alone (GET /chunks/{id}) probes every
-- partition's primary key, so fewer keep that cheap, while a 1B-chunk table still splits into
-- partitions of tens of GB; each can later be split in two (modulus 32) without touching the
-- others. `content` stays in the row (docs/scaling.md, "Chunk storage").
--
-- PostgreSQL requires every unique key of a partitioned table to include the partition key, so the
-- primary key is (id, collection_id) and the set key (set_id, chunk_index, collection_id): the
-- same rows are unique as before (a chunk set belongs to one document, of one collection). No
-- foreign key points at chunks. The rows are moved in this migration's transaction, columns in
-- their current order; the indexes and foreign keys are built once the rows are in.

-- CreateTable
CREATE TABLE "chunks_by_collection" (
    LIKE "chunks" INCLUDING DEFAULTS INCLUDING STORAGE INCLUDING COMPRESSION
) PARTITION BY HASH ("collection_id");

DO $$
BEGIN
    FOR remainder IN 0..15 LOOP
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF "chunks_by_collection" FOR VALUES WITH (MODULUS 16, REMAINDER %s)',
            'chunks_p' || lpad(remainder::text, 2, '0'), remainder);
    END LOOP;
END
$$;

INSERT INTO "chunks_by_collection" SELECT * FROM "chunks";

-- DropTable (its indexes and foreign keys with it)
DROP TABLE "chunks";

ALTER TABLE "chunks_by_collection" RENAME TO "chunks";

-- AddPrimaryKey
ALTER TABLE "chunks" ADD CONSTRAINT "chunks_pkey" PRIMARY KEY ("id", "collection_id");

-- CreateIndex
CREATE UNIQUE INDEX "chunks_set_id_chunk_index_collection_id_key" ON "chunks"("set_id", "chunk_index", "collection_id");

-- CreateIndex
CREATE INDEX "chunks_document_id_idx" ON "chunks"("document_id");

-- CreateIndex
CREATE INDEX "chunks_collection_id_document_id_chunk_index_char_count_idx" ON "chunks"("collection_id", "document_id", "chunk_index", "char_count");

-- CreateIndex
CREATE INDEX "chunks_operation_id_idx" ON "chunks"("operation_id");

-- AddForeignKey
ALTER TABLE "chunks" ADD CONSTRAINT "chunks_document_id_fkey" FOREIGN KEY ("document_id") REFERENCES "documents"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chunks" ADD CONSTRAINT "chunks_collection_id_fkey" FOREIGN KEY ("collection_id") REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chunks" ADD CONSTRAINT "chunks_operation_id_fkey" FOREIGN KEY ("operation_id") REFERENCES "operations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chunks" ADD CONSTRAINT "chunks_set_id_fkey" FOREIGN KEY ("set_id") REFERENCES "chunk_sets"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ANALYZE "chunks";

-- A document's summary reads its live set's chunks in its collection's partition only: the sizes
-- are grouped per document in a LATERAL subquery keyed by the document's collection and set, which
-- PostgreSQL runs per document with the other partitions pruned. Summaries of documents left without
-- live chunks are deleted in the same statement, without reading chunks again.
CREATE OR REPLACE FUNCTION "summarise_document_chunks"("documents" UUID[]) RETURNS VOID LANGUAGE sql AS $$
    WITH "summarised" AS (
        INSERT INTO "document_chunk_stats" ("document_id", "collection_id", "chunk_count", "char_total",
            "min_chunk_size", "max_chunk_size", "chunk_sizes", "size_counts", "embed_char_total",
            "min_embed_size", "max_embed_size")
        SELECT "document"."id", "document"."collection_id", sum("sizes"."chunks")::int,
            sum("sizes"."char_count"::bigint * "sizes"."chunks"), min("sizes"."char_count"), max("sizes"."char_count"),
            array_agg("sizes"."char_count" ORDER BY "sizes"."char_count"),
            array_agg("sizes"."chunks" ORDER BY "sizes"."char_count"),
            sum("sizes"."embed_total"), min("sizes"."embed_min"), max("sizes"."embed_max")
        -- Aliased: "documents" alone names the function's parameter.
        FROM "documents" AS "document"
        JOIN "chunk_sets" AS "live" ON "live"."document_id" = "document"."id" AND "live"."state" = 'live'
        CROSS JOIN LATERAL (
            SELECT "char_count", count(*)::int AS "chunks",
                sum("char_count" + length("embed_header"))::bigint AS "embed_total",
                min("char_count" + length("embed_header")) AS "embed_min",
                max("char_count" + length("embed_header")) AS "embed_max"
            FROM "chunks"
            WHERE "chunks"."collection_id" = "document"."collection_id" AND "chunks"."set_id" = "live"."id"
            GROUP BY "char_count"
        ) AS "sizes"
        WHERE "document"."id" = ANY ("documents")
        GROUP BY "document"."id", "document"."collection_id"
        ON CONFLICT ("document_id") DO UPDATE SET
            "chunk_count" = EXCLUDED."chunk_count", "char_total" = EXCLUDED."char_total",
            "min_chunk_size" = EXCLUDED."min_chunk_size", "max_chunk_size" = EXCLUDED."max_chunk_size",
            "chunk_sizes" = EXCLUDED."chunk_sizes", "size_counts" = EXCLUDED."size_counts",
            "embed_char_total" = EXCLUDED."embed_char_total", "min_embed_size" = EXCLUDED."min_embed_size",
            "max_embed_size" = EXCLUDED."max_embed_size"
        RETURNING "document_id"
    )
    DELETE FROM "document_chunk_stats"
    WHERE "document_id" = ANY ("documents")
        AND "document_id" NOT IN (SELECT "document_id" FROM "summarised");
$$;
