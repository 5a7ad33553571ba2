import { ChannelSettingsError, type ChannelAdapter } from './channel-adapter';
import { webhookChannel } from './webhook/webhook.channel';

const CHANNELS: ReadonlyMap<string, ChannelAdapter<unknown>> = new Map<string, ChannelAdapter<unknown>>([
  [webhookChannel.channel, webhookChannel as ChannelAdapter<unknown>],
]);

export function getChannel(channel: string): ChannelAdapter<unknown> {
  const adapter = CHANNELS.get(channel);
  if (!adapter) {
    throw new ChannelSettingsError(
      `channel "${channel}" is not available; available: ${[...CHANNELS.keys()].join(', ')}`,
    );
  }
  return adapter;
}

export function availableChannels(): string[] {
  return [...CHANNELS.keys()];
}
