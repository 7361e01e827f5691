import { TRPCClientError } from '@chunkflow/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendModes } from './support/backends.ts';
import { startTestServer, type TestServer } from './support/server.ts';

function codeOf(error: unknown): string | undefined {
  expect(error).toBeInstanceOf(TRPCClientError);
  return ((error as TRPCClientError<never>).data as unknown as { code: string }).code;
}

describe.each(backendModes)('config presets on the %s backends', (mode) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer(mode);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('saves a preset normalised, lists, updates and deletes it', async () => {
    const created = await server.client.configs.create.mutate({
      name: 'small windows',
      strategy: 'sliding_window',
      config: { chunkSize: 256, chunkOverlap: 32, sizeUnit: 'tokens' },
    });
    expect(created.strategy).toBe('fixed');
    expect(created.config).toMatchObject({
      chunkSize: 256,
      chunkOverlap: 32,
      sizeUnit: 'tokens',
      tokenizer: 'cl100k_base',
    });

    const page = await server.client.configs.list.query({ limit: 10 });
    expect(page.items.map((preset) => preset.id)).toContain(created.id);

    const updated = await server.client.configs.update.mutate({ id: created.id, config: { chunkSize: 512 } });
    expect(updated.config).toMatchObject({ chunkSize: 512 });
    expect(updated.name).toBe('small windows');

    expect(await server.client.configs.delete.mutate({ id: created.id })).toEqual({
      id: created.id,
      deleted: true,
    });
    expect(
      codeOf(await server.client.configs.get.query({ id: created.id }).catch((error: unknown) => error)),
    ).toBe('NOT_FOUND');
  });

  it('refuses an invalid config, a duplicate name and another tenant', async () => {
    const invalid = await server.client.configs.create
      .mutate({ name: 'bad', strategy: 'recursive', config: { chunkSize: 100, chunkOverlap: 200 } })
      .catch((error: unknown) => error);
    expect(codeOf(invalid)).toBe('INVALID_CONFIG');

    const preset = await server.client.configs.create.mutate({ name: 'unique', strategy: 'recursive' });
    const duplicate = await server.client.configs.create
      .mutate({ name: 'unique', strategy: 'fixed' })
      .catch((error: unknown) => error);
    expect(codeOf(duplicate)).toBe('CONFLICT');

    const other = server.clientFor(await server.app.services.auth.createApiKey(`presets-${mode}`, 'test'));
    expect(codeOf(await other.configs.get.query({ id: preset.id }).catch((error: unknown) => error))).toBe(
      'NOT_FOUND',
    );
    expect(
      codeOf(await other.configs.delete.mutate({ id: preset.id }).catch((error: unknown) => error)),
    ).toBe('NOT_FOUND');
  });

  it('works over REST', async () => {
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${server.apiKey}` };
    const response = await fetch(`${server.url}/api/v2/configs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'rest preset',
        strategy: 'sentence',
        config: { chunkSize: 400, chunkOverlap: 0 },
      }),
    });
    expect(response.status).toBe(200);
    const { id } = (await response.json()) as { id: string };
    const patched = await fetch(`${server.url}/api/v2/configs/${id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ description: 'for FAQs' }),
    });
    expect(((await patched.json()) as { description: string }).description).toBe('for FAQs');
  });
});
