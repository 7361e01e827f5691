import type { HostileScenario } from '../scenario.ts';
import {
  disconnectMidPreview,
  hierarchicalRescan,
  outputAmplification,
  semanticWideEmbedder,
  whitespaceTokens,
} from './chunking-cost.ts';
import { keyInLogs, securityHeaders, statisticsAfterDelete } from './exposure.ts';
import { exportProbes, hostileFiles, tokenizerNames } from './files.ts';
import { hostileImport } from './imports.ts';
import { stalledUploads, unauthenticatedBodies, uploadsFlood, wrongKeysFlood } from './limits.ts';
import {
  bulkAndAdminProbes,
  chunksCursor,
  collectionsCursor,
  deepNesting,
  hugeHeader,
  longBatchPath,
  uploadMetadata,
} from './malformed.ts';
import {
  cancelHangingEmbedder,
  concurrentApplies,
  foreignDocumentIds,
  largeApply,
  largeReapply,
} from './operations.ts';
import { codePreview, compare, markdownPreview, recommendConst, recommendImpl } from './redos.ts';

/**
 * Every attack class, cheap probes first. Operations come late: an unfixed server may keep its job
 * slots busy for good after `cancelHangingEmbedder`. Failed-authentication floods come last: they
 * may throttle this client address.
 */
export const scenarios: readonly HostileScenario[] = [
  securityHeaders,
  keyInLogs,
  chunksCursor,
  collectionsCursor,
  uploadMetadata,
  deepNesting,
  longBatchPath,
  hugeHeader,
  bulkAndAdminProbes,
  statisticsAfterDelete,
  recommendConst,
  recommendImpl,
  markdownPreview,
  codePreview,
  compare,
  outputAmplification,
  hierarchicalRescan,
  semanticWideEmbedder,
  whitespaceTokens,
  disconnectMidPreview,
  largeApply,
  largeReapply,
  concurrentApplies,
  foreignDocumentIds,
  cancelHangingEmbedder,
  hostileFiles,
  exportProbes,
  tokenizerNames,
  hostileImport,
  stalledUploads,
  uploadsFlood,
  unauthenticatedBodies,
  wrongKeysFlood,
];
