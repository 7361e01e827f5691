import type { ApiDiff } from './compat-api-diff.ts';

/** Semantic versioning of the API: a break bumps the major, additions alone the minor. */
export function nextApiVersion(current: string, diff: ApiDiff): string {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(current);
  if (!match) throw new Error(`API version ${current} is not major.minor.patch`);
  const [major, minor, patch] = match.slice(1).map(Number) as [number, number, number];
  if (diff.breaks.length > 0) return `${major + 1}.0.0`;
  if (diff.additions.length > 0) return `${major}.${minor + 1}.0`;
  return `${major}.${minor}.${patch}`;
}

const API_VERSION_CONSTANT = /export const API_VERSION = '([^']+)';/;
const README_VERSION = /The API version is \*\*([^*]+)\*\*/;

function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  if (!pattern.test(text)) throw new Error(`${what} not found`);
  return text.replace(pattern, replacement);
}

export function readApiVersionConstant(source: string): string {
  const version = API_VERSION_CONSTANT.exec(source)?.[1];
  if (!version) throw new Error('API_VERSION constant not found');
  return version;
}

export const setApiVersionConstant = (source: string, version: string) =>
  replaceOnce(
    source,
    API_VERSION_CONSTANT,
    `export const API_VERSION = '${version}';`,
    'API_VERSION constant',
  );

export const setReadmeApiVersion = (readme: string, version: string) =>
  replaceOnce(readme, README_VERSION, `The API version is **${version}**`, 'README API version line');

const UNRELEASED = '## [Unreleased]';

/**
 * Keep a Changelog: the Unreleased notes move under a new `## [version] - date` heading, with the
 * accepted breaks and additions recorded first so the release says what changed for clients.
 */
export function releaseChangelog(changelog: string, version: string, date: string, diff: ApiDiff): string {
  const start = changelog.indexOf(UNRELEASED);
  if (start < 0) throw new Error(`CHANGELOG has no "${UNRELEASED}" section`);
  const bodyStart = start + UNRELEASED.length;
  const nextHeading = changelog.indexOf('\n## [', bodyStart);
  const bodyEnd = nextHeading < 0 ? changelog.length : nextHeading + 1;
  const unreleased = changelog.slice(bodyStart, bodyEnd).trim();
  const section = (title: string, lines: string[]) =>
    lines.length === 0 ? [] : [`### ${title}`, '', ...lines.map((line) => `- ${line}`), ''];
  const release = [
    `## [${version}] - ${date}`,
    '',
    ...section(
      'Changed',
      diff.breaks.map((line) => `**Breaking:** ${line}`),
    ),
    ...section('Added', diff.additions),
    ...(unreleased ? [unreleased, ''] : []),
  ];
  return `${changelog.slice(0, bodyStart)}\n\n${release.join('\n')}\n${changelog.slice(bodyEnd)}`;
}
