-- A collection's chunk sizes rolled up from its documents' summaries, so that statistics read a
-- row per distinct size instead of every document's summary (at 100,000 documents the summaries'
-- unnest and binning took most of a second). Triggers on document_chunk_stats keep the rollup in
-- the statement that changes a summary, whichever path changes it: a re-chunk's summarise, a
-- document's or a collection's delete.

-- CreateEnum
CREATE TYPE "chunk_size_kind" AS ENUM ('content', 'embed_min', 'embed_max', 'embed_chars');

-- CreateTable
CREATE TABLE "collection_chunk_sizes" (
    "collection_id" UUID NOT NULL,
    "kind" "chunk_size_kind" NOT NULL,
    "size" INTEGER NOT NULL,
    "count" BIGINT NOT NULL,

    CONSTRAINT "collection_chunk_sizes_pkey" PRIMARY KEY ("collection_id","kind","size")
);

-- AddForeignKey
ALTER TABLE "collection_chunk_sizes" ADD CONSTRAINT "collection_chunk_sizes_collection_id_fkey" FOREIGN KEY ("collection_id") REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What summaries add to their collections' rollup (`sign` 1) or take from it (-1), as rows of the
-- rollup, summed per key; zero sums dropped.
CREATE FUNCTION "chunk_size_deltas"("sign" INTEGER, "summaries" "document_chunk_stats"[])
RETURNS TABLE ("collection_id" UUID, "kind" "chunk_size_kind", "size" INTEGER, "count" BIGINT)
LANGUAGE sql STABLE AS $$
    SELECT s."collection_id", 'content'::"chunk_size_kind", c."size", "sign" * sum(c."chunks")::bigint
    FROM unnest("summaries") AS s CROSS JOIN unnest(s."chunk_sizes", s."size_counts") AS c ("size", "chunks")
    GROUP BY 1, 3
    UNION ALL
    SELECT s."collection_id", 'embed_min', s."min_embed_size", "sign" * count(*) FROM unnest("summaries") AS s GROUP BY 1, 3
    UNION ALL
    SELECT s."collection_id", 'embed_max', s."max_embed_size", "sign" * count(*) FROM unnest("summaries") AS s GROUP BY 1, 3
    UNION ALL
    SELECT s."collection_id", 'embed_chars', 0, "sign" * sum(s."embed_char_total")::bigint FROM unnest("summaries") AS s GROUP BY 1
$$;

-- Adds the statement's changes to the rollup in one upsert, in key order: concurrent writers of a
-- collection (operation batches on several workers) lock its rows in the same order, so they wait
-- for each other but never deadlock. A collection being deleted is skipped (its rows go with it).
CREATE FUNCTION "roll_up_chunk_summaries"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    "removed" "document_chunk_stats"[] := '{}';
    "added" "document_chunk_stats"[] := '{}';
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT coalesce(array_agg(o), '{}') INTO "removed" FROM "old_summaries" AS o;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT coalesce(array_agg(n), '{}') INTO "added" FROM "new_summaries" AS n;
    END IF;
    IF cardinality("removed") + cardinality("added") = 0 THEN
        RETURN NULL;
    END IF;
    INSERT INTO "collection_chunk_sizes" ("collection_id", "kind", "size", "count")
    SELECT d."collection_id", d."kind", d."size", sum(d."count")
    FROM (
        SELECT * FROM "chunk_size_deltas"(-1, "removed")
        UNION ALL
        SELECT * FROM "chunk_size_deltas"(1, "added")
    ) AS d
    WHERE EXISTS (SELECT FROM "collections" c WHERE c."id" = d."collection_id")
    GROUP BY 1, 2, 3
    HAVING sum(d."count") <> 0
    ORDER BY 1, 2, 3
    ON CONFLICT ("collection_id", "kind", "size") DO UPDATE
        SET "count" = "collection_chunk_sizes"."count" + EXCLUDED."count";
    RETURN NULL;
END
$$;

CREATE TRIGGER "document_chunk_stats_roll_up_inserts" AFTER INSERT ON "document_chunk_stats"
REFERENCING NEW TABLE AS "new_summaries" FOR EACH STATEMENT EXECUTE FUNCTION "roll_up_chunk_summaries"();

CREATE TRIGGER "document_chunk_stats_roll_up_updates" AFTER UPDATE ON "document_chunk_stats"
REFERENCING OLD TABLE AS "old_summaries" NEW TABLE AS "new_summaries"
FOR EACH STATEMENT EXECUTE FUNCTION "roll_up_chunk_summaries"();

CREATE TRIGGER "document_chunk_stats_roll_up_deletes" AFTER DELETE ON "document_chunk_stats"
REFERENCING OLD TABLE AS "old_summaries" FOR EACH STATEMENT EXECUTE FUNCTION "roll_up_chunk_summaries"();

-- The summaries stored so far.
INSERT INTO "collection_chunk_sizes" ("collection_id", "kind", "size", "count")
SELECT d."collection_id", d."kind", d."size", sum(d."count")
FROM "chunk_size_deltas"(1, ARRAY(SELECT s FROM "document_chunk_stats" AS s)) AS d
GROUP BY 1, 2, 3
HAVING sum(d."count") <> 0;
