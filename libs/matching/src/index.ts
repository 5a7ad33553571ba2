export * from './identifiers/supplier-identifiers';
