export * from './lists/list-kind';
export * from './lists/list-record';
export * from './lists/content-hash';
export * from './identifiers/uscc';
export * from './identifiers/identifier';
export * from './status/severity';
export * from './status/list-status';
export * from './routing/subscription-filter';
