/**
 * Buffers are kept in power-of-two size classes so a released buffer fits many later requests.
 * Near the pool's limit the next power of two could exceed the budget, so such requests get a
 * buffer of their exact size (their own class).
 */
export function capacityFor(size: number, minBufferBytes: number, maxBytes: number): number {
  if (size <= minBufferBytes) return minBufferBytes;
  const powerOfTwo = nextPowerOfTwo(size);
  return powerOfTwo <= maxBytes ? powerOfTwo : size;
}

function nextPowerOfTwo(size: number): number {
  const candidate = 2 ** Math.ceil(Math.log2(size));
  // log2 of a huge non-power can round down to an integer; never hand out less than asked.
  return candidate >= size ? candidate : candidate * 2;
}
