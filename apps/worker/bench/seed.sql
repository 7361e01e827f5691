-- Statistics dataset: one tenant, :collections collections, :operations operations spread over them,
-- :documents documents and :chunks chunks, written set-wise with generate_series.
INSERT INTO tenants (id, name, created_at, updated_at) VALUES (gen_random_uuid(), 'bench', now(), now());
INSERT INTO collections (id, tenant_id, name, created_at, updated_at)
  SELECT gen_random_uuid(), (SELECT id FROM tenants WHERE name = 'bench'), 'c' || i, now(), now()
  FROM generate_series(1, :collections) AS i;
CREATE TEMP TABLE bench_collections AS SELECT id, row_number() OVER (ORDER BY id) AS n FROM collections
  WHERE tenant_id = (SELECT id FROM tenants WHERE name = 'bench');
INSERT INTO documents (id, tenant_id, collection_id, name, content_type, content, content_hash, size_bytes, char_count, created_at, updated_at)
  SELECT gen_random_uuid(), (SELECT id FROM tenants WHERE name = 'bench'), c.id, 'd' || i, 'text/plain',
    'document ' || i, md5(i::text), 10, 10, now(), now()
  FROM generate_series(1, :documents) AS i
  JOIN bench_collections c ON c.n = 1 + i % :collections;
INSERT INTO operations (id, tenant_id, collection_id, type, status, strategy, created_at, updated_at, started_at, completed_at, processing_ms)
  SELECT gen_random_uuid(), (SELECT id FROM tenants WHERE name = 'bench'), c.id,
    CASE WHEN i % 10 = 0 THEN 'reindex' ELSE 'chunking' END,
    -- One active operation per collection (the first round of i), the rest ended.
    (ARRAY['pending','processing','completed','failed','cancelled'])[
      CASE WHEN i <= :collections THEN 1 + i % 2 ELSE 3 + i % 3 END]::operation_status,
    'fixed', now() - (i || ' seconds')::interval, now(), now(), now(), i % 5000
  FROM generate_series(1, :operations) AS i
  JOIN bench_collections c ON c.n = 1 + i % :collections;
CREATE TEMP TABLE bench_documents AS SELECT id, collection_id, row_number() OVER (ORDER BY id) AS n FROM documents
  WHERE tenant_id = (SELECT id FROM tenants WHERE name = 'bench');
INSERT INTO chunk_sets (document_id, collection_id, state) SELECT id, collection_id, 'live' FROM bench_documents;
INSERT INTO chunks (id, document_id, collection_id, set_id, chunk_index, start_offset, end_offset, char_count, token_count, content, created_at)
  SELECT gen_random_uuid(), d.id, d.collection_id, s.id, i / :documents, 0, 1 + i % 900, 1 + i % 900, 1 + i % 200, 'c', now()
  FROM generate_series(0, :chunks - 1) AS i
  JOIN bench_documents d ON d.n = 1 + i % :documents
  JOIN chunk_sets s ON s.document_id = d.id;
-- Chunks written behind the repository's back: summarise them as the repository would have.
SELECT summarise_document_chunks(ARRAY(SELECT id FROM bench_documents));
ANALYZE;
