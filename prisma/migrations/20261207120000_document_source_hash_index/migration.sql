-- Bulk imports resume by asking which of their files a collection already holds, by the hash of
-- the file as uploaded: one index probe per hash instead of a scan of the collection.

-- CreateIndex
CREATE INDEX "documents_collection_id_source_hash_idx" ON "documents"("collection_id", "source_hash");
