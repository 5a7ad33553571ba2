/**
 * Stop an async iterator we no longer read (a header was rejected, a parse stopped early or was
 * aborted) without waiting for it. Whatever its cleanup throws afterwards (exceljs failing on a
 * temp file it had started to write, a destroyed download) is moot once we have stopped, and must
 * not surface as an unhandled rejection that takes the worker down.
 */
export function releaseIterator(iterator: { return?: (value?: undefined) => unknown } | undefined): void {
  const result = iterator?.return?.(undefined);
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    (result as Promise<unknown>).then(undefined, () => undefined);
  }
}
