// Filled in with the integration harness; unit tests need nothing here.
export default function setup(): void {}
