import { atxHeading } from '@chunkflow/chunkers';
import type { Heading } from './types.ts';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The ATX headings of a markdown text with their offsets, in order; lines inside fenced code are
 * code. The same rules as the markdown strategy's, so provenance and `metadata.headings` agree.
 */
export function markdownHeadings(text: string): Heading[] {
  const headings: Heading[] = [];
  let fence: string | undefined;
  for (let start = 0; start < text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const line = text.slice(start, end);
    const marker = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (
        marker !== undefined &&
        marker[0] === fence[0] &&
        marker.length >= fence.length &&
        line.trim() === marker
      ) {
        fence = undefined;
      }
    } else if (marker !== undefined) {
      fence = marker;
    } else {
      const heading = atxHeading(line);
      if (heading) headings.push({ level: heading.level, text: heading.text, offset: start });
    }
    start = end + 1;
  }
  return headings;
}
