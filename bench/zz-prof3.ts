import { readFileSync } from 'node:fs';
import { CsvTokenizer } from '../libs/sources/src/tabular/csv-tokenizer';
const text = readFileSync(process.argv[2]!, 'utf8');
let t = performance.now();
const tok = new CsvTokenizer(',');
let n = 0;
for (let i = 0; i < text.length; i += 65536) n += tok.push(text.slice(i, i + 65536)).length;
n += tok.end().length;
console.log('tokenize', n, Math.round(performance.now() - t), 'ms');
async function* gen() { for (let i = 0; i < 100000; i++) yield i; }
async function* wrap(g: AsyncIterable<number>) { for await (const x of g) yield x; }
(async () => {
  t = performance.now(); let s = 0;
  for await (const x of wrap(wrap(wrap(gen())))) s += x;
  console.log('4 async generator levels x 100k', Math.round(performance.now() - t), 'ms');
})();
