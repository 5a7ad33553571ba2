/**
 * One element of a record, as a small plain tree: enough for an adapter to map fields without a
 * DOM, and cheap to drop once the record is mapped.
 */
export interface XmlNode {
  /** Local name: a namespace prefix is dropped, so `fsd:export` and `export` both read `export`. */
  name: string;
  /** Attributes by local name; namespace declarations (`xmlns`, `xmlns:*`) are left out. */
  attributes: Record<string, string>;
  /** The element's own character data (text and CDATA) in document order, exactly as published. */
  text: string;
  children: XmlNode[];
}

/**
 * Text as a value: runs of whitespace (line breaks, indentation, doubled spaces) become one space
 * and the ends are trimmed; empty text is undefined. Registries reflow and re-indent their exports
 * between versions; collapsing keeps such layout changes from counting as changes to a record.
 */
export function collapseWhitespace(text: string | undefined): string | undefined {
  if (text === undefined || text.length === 0) return undefined;
  // Most values are clean already; testing is much cheaper than rebuilding the string.
  if (!NEEDS_CLEANING.test(text)) return text;
  const value = text.replace(/\s+/g, ' ').trim();
  return value.length > 0 ? value : undefined;
}

/** Whitespace at an end, a run of it, or any whitespace other than a plain space. */
const NEEDS_CLEANING = /^\s|\s$|\s\s|[^\S ]/;

/** The element's own text, cleaned. */
export function nodeText(node: XmlNode | undefined): string | undefined {
  return node ? collapseWhitespace(node.text) : undefined;
}

/** Direct children with one of the local names (compared case-insensitively: exports vary in case). */
export function childrenNamed(node: XmlNode | undefined, ...names: string[]): XmlNode[] {
  if (!node) return [];
  // Exact names first: the common case, and far cheaper than folding every child's name.
  const exact = node.children.filter((child) => names.includes(child.name));
  if (exact.length > 0) return exact;
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  return node.children.filter((child) => wanted.has(child.name.toLowerCase()));
}

export function childNamed(node: XmlNode | undefined, ...names: string[]): XmlNode | undefined {
  return childrenNamed(node, ...names)[0];
}

/** The cleaned text of the first child with one of the names that has any. */
export function childText(node: XmlNode | undefined, ...names: string[]): string | undefined {
  for (const child of childrenNamed(node, ...names)) {
    const text = nodeText(child);
    if (text !== undefined) return text;
  }
  return undefined;
}

/** Every element below `node` (not `node` itself) with one of the names, in document order. */
export function descendantsNamed(node: XmlNode | undefined, ...names: string[]): XmlNode[] {
  const found: XmlNode[] = [];
  if (!node) return found;
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  const visit = (parent: XmlNode): void => {
    for (const child of parent.children) {
      if (wanted.has(child.name.toLowerCase())) found.push(child);
      visit(child);
    }
  };
  visit(node);
  return found;
}

/** The cleaned value of an attribute (looked up case-insensitively), or undefined when it is empty. */
export function attributeValue(node: XmlNode | undefined, name: string): string | undefined {
  if (!node) return undefined;
  const direct = node.attributes[name];
  if (direct !== undefined) return collapseWhitespace(direct);
  const lower = name.toLowerCase();
  for (const key in node.attributes) if (key.toLowerCase() === lower) return collapseWhitespace(node.attributes[key]);
  return undefined;
}

export interface FlattenOptions {
  /** Element and attribute local names left out wherever they occur (internal ids, sort keys). */
  exclude?: ReadonlySet<string>;
}

/**
 * The record's published values keyed by path: `FIRST_NAME`, `INDIVIDUAL_ALIAS[2]/ALIAS_NAME`,
 * `nameAlias[1]@wholeName`, `@logicalId` for the record's own attributes. An element that occurs
 * more than once among its siblings is numbered from 1; empty elements and attributes are left out
 * and do not take a number, so an export that adds or drops an empty placeholder element (the UN
 * list does, between versions) does not change the record.
 */
export function flattenNode(node: XmlNode, options: FlattenOptions = {}): Record<string, string> {
  const exclude = options.exclude ?? NOTHING;
  const out: Record<string, string> = {};
  for (const [path, value] of flattenEntries(node, exclude)) if (path.length > 0) out[path] = value;
  return out;
}

const NOTHING: ReadonlySet<string> = new Set();

/** The subtree's values with paths relative to `node`: '' for its own text, '@name' for its attributes. */
function flattenEntries(node: XmlNode, exclude: ReadonlySet<string>): [string, string][] {
  const entries: [string, string][] = [];
  for (const name in node.attributes) {
    if (exclude.has(name)) continue;
    const value = collapseWhitespace(node.attributes[name]);
    if (value !== undefined) entries.push([`@${name}`, value]);
  }
  const text = collapseWhitespace(node.text);
  if (text !== undefined) entries.push(['', text]);
  if (node.children.length === 0) return entries;

  const children: { name: string; entries: [string, string][] }[] = [];
  const totals = new Map<string, number>();
  for (const child of node.children) {
    if (exclude.has(child.name)) continue;
    const childEntries = flattenEntries(child, exclude);
    if (childEntries.length === 0) continue;
    children.push({ name: child.name, entries: childEntries });
    totals.set(child.name, (totals.get(child.name) ?? 0) + 1);
  }
  const seen = new Map<string, number>();
  for (const child of children) {
    const count = (seen.get(child.name) ?? 0) + 1;
    seen.set(child.name, count);
    const segment = (totals.get(child.name) ?? 0) > 1 ? `${child.name}[${count}]` : child.name;
    for (const [path, value] of child.entries) {
      entries.push([path.length === 0 ? segment : path.startsWith('@') ? segment + path : `${segment}/${path}`, value]);
    }
  }
  return entries;
}
