// Self time per function of a V8 .cpuprofile (node --cpu-prof), largest first.
// Run: node profile/summarize.mjs <file.cpuprofile> [rows]
import { readFileSync } from 'node:fs';

const print = (line) => process.stdout.write(`${line}\n`);

const [file, rows = '30'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
const deltas = profile.timeDeltas;
profile.samples.forEach((id, i) => {
  const { callFrame } = byId.get(id);
  const where = `${callFrame.functionName || '(anonymous)'} ${callFrame.url.split('/').slice(-2).join('/')}:${callFrame.lineNumber + 1}`;
  self.set(where, (self.get(where) ?? 0) + (deltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
for (const [where, micros] of [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(rows))) {
  print(
    `${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${where}`,
  );
}
