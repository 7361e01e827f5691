import { buildDocx, buildPdf, deeplyNestedDocx, encryptedPdf, zipBomb } from '@chunkflow/converters/fixtures';
import { defineScenario, describeAnswer, isTypedRefusal, type Outcome } from '../scenario.ts';
import { createCollection } from '../workflow.ts';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * Files built to hurt the converters: a declared type the bytes contradict, an encrypted PDF, a
 * zip bomb, a truncated DOCX, tables in a DOCX and HTML elements nested past the depth budget. Each must be refused with
 * a typed 4xx (INVALID_DOCUMENT) and nothing stored.
 */
export const hostileFiles = defineScenario({
  name: 'hostile files',
  finding: 'new',
  sizes: {
    short: { nesting: 5_000, docxNesting: 300 },
    // The docx library that builds the file recurses per level: past ~550 its own stack runs out.
    full: { nesting: 200_000, docxNesting: 520 },
  },
  run: async ({ tenant }, { nesting, docxNesting }): Promise<Outcome> => {
    // A tenant of its own: the suite's other uploads must not have spent this key's write quota.
    const { api, client } = tenant('file sender');
    const collectionId = await createCollection(client, 'hostile files');
    const pdf = await buildPdf([{ lines: ['A page of text.'] }, { lines: ['Another page.'] }]);
    const docx = await buildDocx();
    const files: [name: string, body: Uint8Array | string, contentType: string][] = [
      ['lie.txt', pdf, 'text/plain'],
      ['lie.pdf', 'plain words', 'application/pdf'],
      ['locked.pdf', encryptedPdf(pdf), 'application/pdf'],
      ['bomb.docx', zipBomb(docx), DOCX],
      ['cut.docx', docx.subarray(0, docx.length / 2), DOCX],
      ['deep.docx', await deeplyNestedDocx(docxNesting), DOCX],
      ['deep.html', `<html><body>${'<div>'.repeat(nesting)}x</body></html>`, 'text/html'],
    ];
    const answers = [];
    for (const [name, body, contentType] of files) {
      answers.push({ name, answer: await api.uploadFile(collectionId, name, body, contentType) });
    }
    const stored = (await client.documents.list.query({ collectionId, limit: 100 })).items.length;
    return {
      passed:
        answers.every(({ answer }) => isTypedRefusal(answer) && answer.code === 'INVALID_DOCUMENT') &&
        stored === 0,
      answer: answers.map(({ name, answer }) => `${name} ${describeAnswer(answer)}`).join('; '),
      expected: 'each 422 INVALID_DOCUMENT, nothing stored',
      answerMs: Math.max(...answers.map(({ answer }) => answer.ms)),
      detail: `${stored} documents stored`,
    };
  },
});

/** The export of another tenant's collection, and resume points that are not ids. */
export const exportProbes = defineScenario({
  name: 'export probes',
  finding: 'new',
  sizes: { short: {}, full: {} },
  run: async ({ api, tenant }): Promise<Outcome> => {
    const owner = tenant('export owner');
    const foreign = await createCollection(owner.client, 'hostile export');
    const answers = [
      await api.get(`/collections/${foreign}/export`),
      await owner.api.get(`/collections/${foreign}/export?afterDocumentId=${'x'.repeat(5_000)}`),
      await owner.api.get(`/collections/${foreign}/export?documentId=not-an-id`),
      // Query keys the export does not take, and a key given twice, are refused like any input.
      await owner.api.get(`/collections/${foreign}/export?cursor=abc`),
      await owner.api.get(`/collections/${foreign}/export?documentId=a&documentId=b`),
    ];
    return {
      passed:
        answers.every(isTypedRefusal) &&
        answers.map((answer) => answer.status).join() === [404, 400, 400, 400, 400].join(),
      answer: answers.map(describeAnswer).join('; '),
      expected: 'foreign collection 404, bad ids and keys 400, all typed',
      answerMs: Math.max(...answers.map((answer) => answer.ms)),
    };
  },
});

/**
 * `tokenizer: "hf:<name>"` names a file under the server's tokenizer folder: names that try to
 * leave it, names it does not hold, and absurdly long ones must be refused, typed, before any file
 * is read.
 */
export const tokenizerNames = defineScenario({
  name: 'hostile tokenizer names',
  finding: 'new',
  sizes: { short: {}, full: {} },
  run: async ({ api }): Promise<Outcome> => {
    const names = ['hf:../../../etc/passwd', 'hf:/etc/passwd', 'hf:no-such-model', `hf:${'a'.repeat(5_000)}`];
    const answers = [];
    for (const tokenizer of names) {
      answers.push(
        await api.post('/chunking/preview', {
          content: 'A few words to size.',
          strategy: 'recursive',
          config: { sizeUnit: 'tokens', tokenizer },
        }),
      );
    }
    return {
      passed: answers.every((answer) => isTypedRefusal(answer) && answer.status === 400),
      answer: answers.map(describeAnswer).join('; '),
      expected: 'each 400, typed',
      answerMs: Math.max(...answers.map((answer) => answer.ms)),
    };
  },
});
