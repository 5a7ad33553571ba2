/** JSON.stringify cannot write BigInt (snapshot sizes, change sequence numbers); send them as numbers or strings. */
export function installBigIntJson(): void {
  (BigInt.prototype as unknown as { toJSON: () => number | string }).toJSON = function (this: bigint) {
    return this <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(this) : this.toString();
  };
}
