-- How many documents each collection holds, kept by triggers on documents in the statement that
-- adds or deletes them, so statistics read one row instead of counting a collection's documents
-- (a read of every one of them: 100,000 documents' rows on each statistics call). A document never
-- moves to another collection, so updates leave the count alone.

-- CreateTable
CREATE TABLE "collection_document_counts" (
    "collection_id" UUID NOT NULL,
    "documents" BIGINT NOT NULL,

    CONSTRAINT "collection_document_counts_pkey" PRIMARY KEY ("collection_id")
);

-- AddForeignKey
ALTER TABLE "collection_document_counts" ADD CONSTRAINT "collection_document_counts_collection_id_fkey" FOREIGN KEY ("collection_id") REFERENCES "collections"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Adds the statement's documents to their collections' counts (`sign` 1) or takes them away (-1),
-- in collection order. A collection being deleted is skipped (its count goes with it).
CREATE FUNCTION "count_collection_documents"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "collection_document_counts" ("collection_id", "documents")
        SELECT "collection_id", count(*) FROM "added_documents" GROUP BY 1 ORDER BY 1
        ON CONFLICT ("collection_id") DO UPDATE
            SET "documents" = "collection_document_counts"."documents" + EXCLUDED."documents";
    ELSE
        UPDATE "collection_document_counts" AS c SET "documents" = c."documents" - d."documents"
        FROM (SELECT "collection_id", count(*) AS "documents" FROM "removed_documents" GROUP BY 1) AS d
        WHERE c."collection_id" = d."collection_id";
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER "documents_counted_inserts" AFTER INSERT ON "documents"
REFERENCING NEW TABLE AS "added_documents" FOR EACH STATEMENT EXECUTE FUNCTION "count_collection_documents"();

CREATE TRIGGER "documents_counted_deletes" AFTER DELETE ON "documents"
REFERENCING OLD TABLE AS "removed_documents" FOR EACH STATEMENT EXECUTE FUNCTION "count_collection_documents"();

-- The documents stored so far.
INSERT INTO "collection_document_counts" ("collection_id", "documents")
SELECT "collection_id", count(*) FROM "documents" GROUP BY 1;
