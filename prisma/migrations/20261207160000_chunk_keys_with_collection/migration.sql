-- Chunks reference their document and their set together with the collection, the chunks'
-- partition key. Deleting a document or a set (a collection's delete, the retired sets of a
-- re-chunk) then deletes its chunk rows in its collection's partition alone: with a key of the id
-- alone, PostgreSQL's cascade probed all sixteen partitions for every deleted row. Chunk sets
-- carry their document's collection for it; the documents' (collection_id, id) index, the
-- export's order, becomes the unique key both reference.

-- AlterTable
ALTER TABLE "chunk_sets" ADD COLUMN "collection_id" UUID;
UPDATE "chunk_sets" SET "collection_id" = "documents"."collection_id"
FROM "documents" WHERE "documents"."id" = "chunk_sets"."document_id";
ALTER TABLE "chunk_sets" ALTER COLUMN "collection_id" SET NOT NULL;

-- DropForeignKey
ALTER TABLE "chunk_sets" DROP CONSTRAINT "chunk_sets_document_id_fkey";

-- DropForeignKey
ALTER TABLE "chunks" DROP CONSTRAINT "chunks_document_id_fkey";

-- DropForeignKey
ALTER TABLE "chunks" DROP CONSTRAINT "chunks_set_id_fkey";

-- DropIndex
DROP INDEX "documents_collection_id_id_idx";

-- CreateIndex
CREATE UNIQUE INDEX "documents_collection_id_id_key" ON "documents"("collection_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "chunk_sets_collection_id_id_key" ON "chunk_sets"("collection_id", "id");

-- AddForeignKey
ALTER TABLE "chunk_sets" ADD CONSTRAINT "chunk_sets_collection_id_document_id_fkey" FOREIGN KEY ("collection_id", "document_id") REFERENCES "documents"("collection_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chunks" ADD CONSTRAINT "chunks_collection_id_document_id_fkey" FOREIGN KEY ("collection_id", "document_id") REFERENCES "documents"("collection_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "chunks" ADD CONSTRAINT "chunks_collection_id_set_id_fkey" FOREIGN KEY ("collection_id", "set_id") REFERENCES "chunk_sets"("collection_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Processes of the previous release, still running during a rollout, create sets without the
-- collection: each gets its document's. A set of a document deleted meanwhile fails the foreign
-- key as it did before (those processes take that as "the document is gone").
CREATE FUNCTION "chunk_set_collection_of_document"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW."collection_id" IS NULL THEN
        SELECT "collection_id" INTO NEW."collection_id" FROM "documents" WHERE "id" = NEW."document_id";
        IF NEW."collection_id" IS NULL THEN
            RAISE foreign_key_violation USING MESSAGE = 'chunk set of a document that does not exist';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER "chunk_sets_collection_of_document" BEFORE INSERT ON "chunk_sets"
FOR EACH ROW EXECUTE FUNCTION "chunk_set_collection_of_document"();
