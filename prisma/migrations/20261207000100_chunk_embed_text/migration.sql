-- Retrieval-ready chunks: each chunk keeps the context header its embedText starts with
-- (embedText = embed_header || content, so the content is not stored twice) and the exact token
-- count of that whole text, counted once where it was chunked so exporting never re-tokenizes.
-- Chunks stored before have no header; their embed_token_count is null and reads as token_count.
-- Both columns are added without a table rewrite (a constant default, a nullable column).

-- AlterTable
ALTER TABLE "chunks" ADD COLUMN "embed_header" TEXT NOT NULL DEFAULT '',
ADD COLUMN "embed_token_count" INTEGER;
