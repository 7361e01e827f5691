-- Chunks reference their set alone, by (collection_id, document_id, set_id): a set belongs to one
-- document of one collection, so that one key says all the two before said (and more: a chunk can
-- no longer name a set of another document), and every chunk written pays one foreign-key check
-- instead of two. Deleting a document still deletes its chunk rows, through its sets (documents →
-- chunk_sets → chunks), and every cascade names the collection, so it touches its partition alone.
-- The sets' unique key the old set key referenced, (collection_id, id), gives way to the one the
-- new key references, (collection_id, document_id, id).
--
-- The document_id index goes too: no statement or cascade reads chunks by the document alone (the
-- listing and the cascades name the collection, and read its (collection_id, document_id, …) index
-- or the set key), and every chunk written paid for its entry.
--
-- The new key is built and validated first, a scan of every chunk under locks that let readers
-- read; the old keys and the index are dropped last, under locks that stop readers too but are
-- held only for the rest of this transaction. Processes of the previous release, still running
-- during a rollout, write a chunk with its set's document and collection, which the new key
-- accepts; a set deleted with its document fails it with the violation they took for "the
-- document is gone", as the old keys did.

-- CreateIndex
CREATE UNIQUE INDEX "chunk_sets_collection_id_document_id_id_key" ON "chunk_sets"("collection_id", "document_id", "id");

-- AddForeignKey
ALTER TABLE "chunks" ADD CONSTRAINT "chunks_collection_id_document_id_set_id_fkey" FOREIGN KEY ("collection_id", "document_id", "set_id") REFERENCES "chunk_sets"("collection_id", "document_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- DropForeignKey
ALTER TABLE "chunks" DROP CONSTRAINT "chunks_collection_id_document_id_fkey";

-- DropForeignKey
ALTER TABLE "chunks" DROP CONSTRAINT "chunks_collection_id_set_id_fkey";

-- DropIndex
DROP INDEX "chunk_sets_collection_id_id_key";

-- DropIndex
DROP INDEX "chunks_document_id_idx";
