import { createReadStream } from 'node:fs';
import { cnAbnormalOperationsAdapter, staticParseContext } from '../libs/sources/src';
(async () => {
  const settings = cnAbnormalOperationsAdapter.parseSettings({});
  for await (const item of cnAbnormalOperationsAdapter.parse(createReadStream('/tmp/v100k.csv'), staticParseContext(settings))) {
    console.log(JSON.stringify(item).length, JSON.stringify(item)); break;
  }
})();
