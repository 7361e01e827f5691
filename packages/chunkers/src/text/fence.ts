/** Up to 3 spaces, then ``` or ~~~: the line's fence marker (its first 3 characters), if any. */
export function fenceMarker(text: string, start: number, end: number): number | undefined {
  let at = start;
  while (at < end && at - start < 3 && text.charCodeAt(at) === 0x20) at++;
  const marker = text.charCodeAt(at);
  const isFence =
    (marker === 0x60 || marker === 0x7e) &&
    at + 3 <= end &&
    text.charCodeAt(at + 1) === marker &&
    text.charCodeAt(at + 2) === marker;
  return isFence ? marker : undefined;
}
