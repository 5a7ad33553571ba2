/** What being on a list means (DESIGN.md, "list kind"). */
export const LIST_KINDS = [
  'sanctions',
  'export_control',
  'forced_labor',
  'debarment',
  'court_defaulter',
  'serious_illegal_dishonest',
  'abnormal_operations',
  'tax_violation',
  'admin_penalty',
  'redlist',
] as const;
export type ListKind = (typeof LIST_KINDS)[number];

export function isListKind(value: unknown): value is ListKind {
  return typeof value === 'string' && (LIST_KINDS as readonly string[]).includes(value);
}

/**
 * Lists whose listing triggers joint disciplinary action across China's government departments,
 * which reaches the firm's own standing through its partners.
 */
export const JOINT_PUNISHMENT_LIST_KINDS: readonly ListKind[] = [
  'serious_illegal_dishonest',
  'court_defaulter',
  'tax_violation',
];

/** A redlist is positive: being on it is good news, leaving it is the risk signal. */
export function isPositiveList(kind: ListKind): boolean {
  return kind === 'redlist';
}
