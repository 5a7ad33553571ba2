import type { Readable } from 'node:stream';
import { readXmlRecords, type XmlRecord } from '../xml/xml-records';
import { attributeValue, childrenNamed, flattenNode, nodeText, type XmlNode } from '../xml/xml-node';
import type { CustomSourceRow } from './custom-source.mapper';
import type { CustomSourceSettings } from './custom-source.settings';

interface XmlFieldPath {
  /** Child element names from the record element ('.' is the element itself). */
  elements: string[];
  attribute?: string;
}

/**
 * The record elements of an XML export, with the shared safe reader: DTDs and entities refused,
 * records and tokens capped, a document cut short refused after the records before the cut.
 * "list/item" is a path from the root element; a bare name ("item") matches at any depth.
 */
export function readCustomXmlRecords(
  input: NodeJS.ReadableStream | Readable,
  settings: CustomSourceSettings,
  signal: AbortSignal,
): AsyncGenerator<XmlRecord> {
  const path = settings.recordPath ?? '';
  const selector = path.startsWith('//') || path.replace(/^\/+/, '').includes('/') ? path : `//${path}`;
  return readXmlRecords(input as AsyncIterable<unknown>, {
    records: [selector],
    label: 'The XML export',
    encoding: settings.encoding,
    signal,
  });
}

/** A record element read through child element and attribute paths: "name", "@id", "ids/id", "ids/id/@type". */
export class CustomXmlRow implements CustomSourceRow {
  private static readonly paths = new Map<string, XmlFieldPath>();

  constructor(private readonly node: XmlNode) {}

  values(field: string): string[] {
    const path = CustomXmlRow.parse(field);
    const nodes = this.elements(path);
    const out: string[] = [];
    for (const node of nodes) {
      const value = path.attribute !== undefined ? attributeValue(node, path.attribute) : nodeText(node);
      if (value !== undefined) out.push(value);
    }
    return out;
  }

  has(field: string): boolean {
    const path = CustomXmlRow.parse(field);
    const nodes = this.elements(path);
    if (path.attribute === undefined) return nodes.length > 0;
    const wanted = path.attribute.toLowerCase();
    return nodes.some((node) => Object.keys(node.attributes).some((name) => name.toLowerCase() === wanted));
  }

  /** Child texts and attributes keyed by path (`name`, `ids/id[2]`, `@id`), as the shared XML flattener writes them. */
  attributes(): Record<string, string> {
    return flattenNode(this.node);
  }

  private elements(path: XmlFieldPath): XmlNode[] {
    let nodes = [this.node];
    for (const name of path.elements) {
      if (name === '.') continue;
      nodes = nodes.flatMap((node) => childrenNamed(node, name));
    }
    return nodes;
  }

  /** Parsed once per field name: the same few fields are read on every record. */
  private static parse(field: string): XmlFieldPath {
    let path = CustomXmlRow.paths.get(field);
    if (!path) {
      const at = field.lastIndexOf('@');
      const elementPart = (at >= 0 ? field.slice(0, at) : field).replace(/\/+$/, '');
      path = { elements: elementPart ? elementPart.split('/') : [] };
      if (at >= 0) path.attribute = field.slice(at + 1);
      if (CustomXmlRow.paths.size < 1000) CustomXmlRow.paths.set(field, path);
    }
    return path;
  }
}
