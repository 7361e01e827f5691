-- The export walks a collection's documents in id order, a page at a time after the last id
-- taken (a keyset): with this index each page is a range scan, not a sort of the collection's
-- documents. The unique (collection_id, content_hash) and (collection_id, created_at) indexes
-- cannot give that order.

-- CreateIndex
CREATE INDEX "documents_collection_id_id_idx" ON "documents"("collection_id", "id");
