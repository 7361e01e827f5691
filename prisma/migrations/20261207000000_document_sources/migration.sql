-- Documents converted from files (PDF, DOCX, HTML): the source's page count, the hash and size of
-- the file as uploaded, and the provenance map from text offsets to pages and headings, from which
-- every chunk's `metadata.pages` and heading path are computed.

-- AlterTable
ALTER TABLE "documents" ADD COLUMN "page_count" INTEGER,
ADD COLUMN "source_hash" TEXT,
ADD COLUMN "source_bytes" INTEGER,
ADD COLUMN "provenance" JSONB NOT NULL DEFAULT '{}';
