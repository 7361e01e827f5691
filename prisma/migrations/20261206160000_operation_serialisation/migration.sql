-- The documents an operation works through, fixed when it starts: an attempt resumed after a crash
-- continues in this list, never in one read again (a document deleted or added in between would
-- shift positions and be skipped or counted twice).
ALTER TABLE "operations" ADD COLUMN "document_plan" UUID[] DEFAULT ARRAY[]::UUID[];

-- One active operation per collection: two applies at once would leave each document with the
-- chunks of whichever wrote it last. Operations active together before this migration keep the
-- oldest; the others are failed with CONFLICT so the index can be built.
UPDATE "operations" AS "later" SET
    "status" = 'failed',
    "completed_at" = now(),
    "updated_at" = now(),
    "error" = jsonb_build_object('code', 'CONFLICT', 'message',
        'Another operation of this collection was active; apply again once it ends', 'correlationId', NULL)
WHERE "later"."status" IN ('pending', 'processing')
    AND EXISTS (
        SELECT 1 FROM "operations" AS "earlier"
        WHERE "earlier"."collection_id" = "later"."collection_id"
            AND "earlier"."status" IN ('pending', 'processing')
            AND ("earlier"."created_at", "earlier"."id") < ("later"."created_at", "later"."id"));

-- CreateIndex
CREATE UNIQUE INDEX "operations_one_active_per_collection" ON "operations"("collection_id")
    WHERE "status" IN ('pending', 'processing');
