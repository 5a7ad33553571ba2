export * from './channel-adapter';
export * from './channel-registry';
export * from './webhook/webhook-signature';
export * from './webhook/webhook.channel';
