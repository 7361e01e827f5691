// The floor server (floor-server.ts) as a process of its own, for load runs against real server
// processes: `tsx bench/floor-process.ts ANSWER_FILE PORT`, where the file holds the answer as
// superjson text. Prints one JSON line `{"msg":"floor listening","url":…}` once it listens.
import { readFileSync } from 'node:fs';
import superjson from 'superjson';
import { startFloorServer } from './floor-server.ts';

const [answerFile, port] = process.argv.slice(2);
if (!answerFile || !port) throw new Error('usage: floor-process.ts ANSWER_FILE PORT');
const floor = await startFloorServer(superjson.parse(readFileSync(answerFile, 'utf8')), Number(port));
console.log(JSON.stringify({ msg: 'floor listening', url: floor.url }));
process.once('SIGTERM', () => void floor.close().then(() => process.exit(0)));
