/**
 * Status rules: a supplier is LISTED on a source while at least one confirmed match points at an
 * entry that is published and not marked as delisted by the registry. Events are derived by
 * comparing the entries that made the supplier LISTED before with those that do now.
 */
export type ListStatus = 'CLEAR' | 'LISTED';
export type StatusEventType = 'LISTED' | 'DELISTED' | 'DETAILS_CHANGED';

export interface StatusBefore {
  status: ListStatus;
  entryIds: readonly string[];
}

export interface StatusEventDraft {
  type: StatusEventType;
  entryId: string;
  fromStatus: ListStatus;
  toStatus: ListStatus;
}

export interface StatusDerivation {
  status: ListStatus;
  entryIds: string[];
  events: StatusEventDraft[];
}

/**
 * @param before the stored status, or undefined for a supplier never screened on this source
 * @param listedEntryIds the entries that list the supplier now, most recent listing first
 * @param modifiedEntryIds entries whose published details changed in the change set at hand
 */
export function deriveListStatus(
  before: StatusBefore | undefined,
  listedEntryIds: readonly string[],
  modifiedEntryIds: ReadonlySet<string>,
): StatusDerivation {
  const fromStatus: ListStatus = before?.status ?? 'CLEAR';
  const previous = new Set(before?.status === 'LISTED' ? before.entryIds : []);
  const current = [...new Set(listedEntryIds)];
  const currentSet = new Set(current);
  const toStatus: ListStatus = current.length > 0 ? 'LISTED' : 'CLEAR';

  const events: StatusEventDraft[] = [];
  for (const entryId of current) {
    if (!previous.has(entryId)) events.push({ type: 'LISTED', entryId, fromStatus, toStatus });
    else if (modifiedEntryIds.has(entryId)) events.push({ type: 'DETAILS_CHANGED', entryId, fromStatus, toStatus });
  }
  for (const entryId of previous) {
    if (!currentSet.has(entryId)) events.push({ type: 'DELISTED', entryId, fromStatus, toStatus });
  }
  return { status: toStatus, entryIds: current, events };
}
