import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { SourceFormatError } from '../source-adapter';
import { decodeXmlText, type XmlEncodingSetting } from './xml-encoding';
import type { XmlNode } from './xml-node';

export interface XmlRecord {
  node: XmlNode;
  /** The selector (as configured) that matched this record. */
  selector: string;
  /** 1-based line of the record's start tag, for row errors that point into the file. */
  line: number;
}

export interface XmlRecordsOptions {
  /**
   * Which elements are records, by local name: `CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL` is a path
   * from the root element; `//sdnEntry` is an element of that name at any depth. Elements inside a
   * record belong to it and are never records themselves.
   */
  records: readonly string[];
  /** Local names the root element may have; a document with any other root is not this export. */
  rootNames?: readonly string[];
  /** What the export is, for error messages ("UN consolidated list XML"). */
  label?: string;
  /** 'auto' (the default): byte order mark, else the XML declaration, else UTF-8. */
  encoding?: XmlEncodingSetting;
  signal?: AbortSignal;
  /** A record with more characters than this (text, names and attribute values) is refused. Default 1 MiB. */
  maxRecordChars?: number;
  /** Characters the parser may read without producing anything (one text node, tag, comment). Default 1 MiB. */
  maxTokenChars?: number;
}

export const DTD_REFUSED = 'XML with a DTD is refused (entity expansion and external entities are not allowed)';

const DEFAULT_MAX_RECORD_CHARS = 1024 * 1024;
const DEFAULT_MAX_TOKEN_CHARS = 1024 * 1024;
/** Registry exports nest a handful of levels; anything this deep is an attack or garbage. */
const MAX_DEPTH = 256;
/** Counted per element on top of its characters, so millions of empty elements cannot slip under the cap. */
const ELEMENT_OVERHEAD = 32;
/** Long enough to hold `<!DOCTYPE` split across two chunks. */
const DOCTYPE_CARRY = 16;

type Selector = { kind: 'path'; source: string; names: string[] } | { kind: 'anywhere'; source: string; name: string };

function compileSelectors(records: readonly string[]): Selector[] {
  if (records.length === 0) throw new Error('readXmlRecords needs at least one record selector');
  return records.map((source) => {
    if (source.startsWith('//')) return { kind: 'anywhere', source, name: source.slice(2) };
    const names = source.replace(/^\/+/, '').split('/').filter(Boolean);
    return { kind: 'path', source, names };
  });
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

interface OpenRecord {
  selector: string;
  line: number;
  root: XmlNode;
  /** The open elements of the record, its own element first. */
  stack: XmlNode[];
  chars: number;
}

/**
 * Stream an XML export as records: each configured record element comes out as a small plain tree
 * once its end tag is read, and is forgotten by the reader. Only the open record and the current
 * chunk are held, so memory stays flat whatever the size of the export.
 *
 * Refused, each with a SourceFormatError that says why: a DOCTYPE (and so every entity beyond the
 * five predefined ones, internal or external: "billion laughs" and XXE cannot start), a record or a
 * single token larger than the caps, nesting beyond 256 levels, a root element other than
 * `rootNames`, and malformed XML. A document that ends before its root element is closed is
 * truncated: the complete records before the cut are yielded, then the error is thrown, so a caller
 * never takes a cut-off download for a complete export.
 */
export async function* readXmlRecords(
  input: AsyncIterable<unknown>,
  options: XmlRecordsOptions,
): AsyncGenerator<XmlRecord> {
  const signal = options.signal;
  signal?.throwIfAborted();
  const selectors = compileSelectors(options.records);
  const label = options.label ?? 'XML export';
  const maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  const maxTokenChars = options.maxTokenChars ?? DEFAULT_MAX_TOKEN_CHARS;
  const rootNames = options.rootNames;

  const parser = new SaxesParser({ xmlns: false, position: true });
  /** Local names of the open elements outside a record, from the root. */
  const path: string[] = [];
  let open: OpenRecord | undefined;
  let rootOpened = false;
  let rootClosed = false;
  let recordCount = 0;
  /** Parser position at its last event: a long stretch without one is a single huge token. */
  let lastEventAt = 0;
  const ready: XmlRecord[] = [];

  const mark = (): void => {
    lastEventAt = parser.position;
  };
  const addChars = (record: OpenRecord, count: number): void => {
    record.chars += count;
    if (record.chars > maxRecordChars) {
      throw new SourceFormatError(
        `${label}: the <${record.root.name}> record starting at line ${record.line} is larger than ` +
          `${maxRecordChars} characters; refusing it (a record this size is not a registry entry)`,
      );
    }
  };

  parser.on('doctype', (doctype) => {
    throw doctypeError(doctype);
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    mark();
    const name = localName(tag.name);
    if (!rootOpened) {
      rootOpened = true;
      if (rootNames && !rootNames.includes(name)) {
        throw new SourceFormatError(
          `${label}: the document's root element is <${name}>, expected <${rootNames.join('> or <')}>; is this the right export?`,
        );
      }
    }
    if (open) {
      if (open.stack.length + path.length >= MAX_DEPTH) throw tooDeep(label, parser.line);
      const node = makeNode(name, tag.attributes);
      addChars(open, elementChars(node));
      open.stack[open.stack.length - 1]?.children.push(node);
      open.stack.push(node);
      return;
    }
    path.push(name);
    if (path.length >= MAX_DEPTH) throw tooDeep(label, parser.line);
    const selector = selectors.find((s) =>
      s.kind === 'anywhere'
        ? s.name === name
        : s.names.length === path.length && s.names.every((n, i) => n === path[i]),
    );
    if (selector) {
      path.pop();
      const node = makeNode(name, tag.attributes);
      open = { selector: selector.source, line: parser.line, root: node, stack: [node], chars: 0 };
      addChars(open, elementChars(node));
    }
  });
  parser.on('closetag', () => {
    mark();
    if (open) {
      open.stack.pop();
      if (open.stack.length === 0) {
        recordCount++;
        ready.push({ node: open.root, selector: open.selector, line: open.line });
        open = undefined;
        // A record selector may match the root element itself.
        if (path.length === 0) rootClosed = true;
      }
      return;
    }
    path.pop();
    if (path.length === 0) rootClosed = true;
  });
  const onText = (text: string): void => {
    mark();
    if (!open) return;
    const node = open.stack[open.stack.length - 1];
    if (!node) return;
    addChars(open, text.length);
    node.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('comment', mark);
  parser.on('processinginstruction', mark);

  // An abort must not wait for the next chunk of a stalled download: destroying the input ends the
  // pending read with the abort reason.
  const destroyable = input as { destroy?: (error?: Error) => void };
  const onAbort = (): void => {
    const reason: unknown = signal?.reason;
    destroyable.destroy?.(reason instanceof Error ? reason : new Error('aborted'));
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    yield* readRecords();
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }

  async function* readRecords(): AsyncGenerator<XmlRecord> {
    let carry = '';
    for await (const text of decodeXmlText(input, { encoding: options.encoding ?? 'auto', signal })) {
      signal?.throwIfAborted();
      if (!rootOpened) {
        // Refuse a DOCTYPE before the parser reads it: saxes would buffer the whole internal subset
        // first, so a multi-gigabyte DTD would be read into memory before its event fired.
        const window = carry + text;
        const at = window.search(/<!DOCTYPE/i);
        const rootAt = window.search(/<[A-Za-z_:\u00C0-\uFFFF]/);
        if (at >= 0 && (rootAt < 0 || at < rootAt)) throw doctypeError(window.slice(at + 9, at + 200));
        carry = window.slice(-DOCTYPE_CARRY);
      }
      try {
        parser.write(text);
      } catch (error) {
        throw asFormatError(error, label);
      }
      if (parser.position - lastEventAt > maxTokenChars) {
        throw new SourceFormatError(
          open || rootOpened
            ? `${label}: more than ${maxTokenChars} characters without a tag at line ${parser.line}; refusing the export`
            : `${label}: no root element in the first ${maxTokenChars} characters; this is not an XML export`,
        );
      }
      // Emptied before yielding: a consumer that stops early leaves nothing behind.
      const batch = ready.splice(0, ready.length);
      for (const record of batch) yield record;
    }

    if (!rootOpened) {
      throw new SourceFormatError(
        `${label}: the export is empty (no root element); the download is empty or truncated`,
      );
    }
    if (!rootClosed) {
      const where = open
        ? `inside the <${open.root.name}> record that starts at line ${open.line}`
        : `inside <${path[path.length - 1] ?? '?'}>`;
      throw new SourceFormatError(
        `${label}: the export is truncated: the document ends ${where} before its root element is closed ` +
          `(${recordCount} complete records were read before the cut); refusing it as incomplete`,
      );
    }
    try {
      parser.close();
    } catch (error) {
      throw asFormatError(error, label);
    }
    for (const record of ready.splice(0, ready.length)) yield record;
  }
}

function makeNode(name: string, attributes: Record<string, string>): XmlNode {
  const kept: Record<string, string> = {};
  for (const [qualified, value] of Object.entries(attributes)) {
    if (qualified === 'xmlns' || qualified.startsWith('xmlns:')) continue;
    const local = localName(qualified);
    if (!(local in kept)) kept[local] = value;
  }
  return { name, attributes: kept, text: '', children: [] };
}

function elementChars(node: XmlNode): number {
  let chars = node.name.length + ELEMENT_OVERHEAD;
  for (const [key, value] of Object.entries(node.attributes)) chars += key.length + value.length;
  return chars;
}

function tooDeep(label: string, line: number): SourceFormatError {
  return new SourceFormatError(`${label}: elements are nested more than ${MAX_DEPTH} levels deep at line ${line}`);
}

function doctypeError(doctype: string): SourceFormatError {
  // An HTML error page served in place of the export is the common case: say that instead.
  if (/^\s*html\b/i.test(doctype)) {
    return new SourceFormatError('The export is an HTML page, not XML; the registry served an error or login page');
  }
  return new SourceFormatError(DTD_REFUSED);
}

/** saxes reports malformed XML as a plain Error "line:column: message"; make it a format error. */
function asFormatError(error: unknown, label: string): Error {
  if (error instanceof SourceFormatError) return error;
  if (!(error instanceof Error)) return new SourceFormatError(`${label}: the XML cannot be parsed`);
  const match = /^(\d+):(\d+): (.*)$/s.exec(error.message);
  const where = match ? `line ${match[1]}, column ${match[2]}` : 'unknown position';
  const message = match?.[3] ?? error.message;
  if (/undefined entity/.test(message)) {
    return new SourceFormatError(
      `${label}: an entity reference at ${where} is not one of the five predefined XML entities ` +
        `(&lt; &gt; &amp; &quot; &apos;); entities are not expanded, so the export is refused`,
    );
  }
  return new SourceFormatError(`${label}: the XML is not well-formed at ${where}: ${message}`);
}
