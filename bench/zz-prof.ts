import { createReadStream } from 'node:fs';
import { cnAbnormalOperationsAdapter, staticParseContext } from '../libs/sources/src';
import { recordContentHash } from '../libs/domain/src';
async function main() {
  const file = process.argv[2]!;
  let t = performance.now();
  let n = 0;
  const settings = cnAbnormalOperationsAdapter.parseSettings({});
  for await (const item of cnAbnormalOperationsAdapter.parse(createReadStream(file), staticParseContext(settings))) { n++; }
  console.log('parse', n, Math.round(performance.now() - t), 'ms');
  t = performance.now(); n = 0;
  for await (const item of cnAbnormalOperationsAdapter.parse(createReadStream(file), staticParseContext(settings))) { if ('record' in item) { recordContentHash(item.record); JSON.stringify(item.record); } n++; }
  console.log('parse+hash+json', n, Math.round(performance.now() - t), 'ms');
}
main();
