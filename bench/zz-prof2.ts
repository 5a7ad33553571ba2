import { createReadStream } from 'node:fs';
import { cnAbnormalOperationsAdapter, staticParseContext } from '../libs/sources/src';
async function main() {
  const settings = cnAbnormalOperationsAdapter.parseSettings({});
  const t = performance.now();
  let n = 0;
  for await (const item of cnAbnormalOperationsAdapter.parse(createReadStream(process.argv[2]!), staticParseContext(settings))) { if (item) n++; }
  console.log('parse', n, Math.round(performance.now() - t), 'ms');
}
main();
