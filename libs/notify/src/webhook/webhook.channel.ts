import axios, { AxiosError } from 'axios';
import {
  ChannelSendError,
  ChannelSettingsError,
  type ChannelAdapter,
  type OutboundMessage,
  type SendOptions,
  type SendResult,
} from '../channel-adapter';
import { WEBHOOK_HEADERS, signatureHeader } from './webhook-signature';

export interface WebhookSettings {
  url: string;
  secret: string;
  /** The previous secret, still signed with while receivers roll over. */
  previousSecret?: string;
}

/** Statuses a receiver may answer differently next time; every other 4xx is a permanent refusal. */
const RETRYABLE_4XX = new Set([408, 409, 425, 429]);

export const webhookChannel: ChannelAdapter<WebhookSettings> = {
  channel: 'webhook',

  parseSettings(settings: unknown): WebhookSettings {
    if (typeof settings !== 'object' || settings === null) throw new ChannelSettingsError('settings must be an object');
    const { url, secret, previousSecret } = settings as Record<string, unknown>;
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
      throw new ChannelSettingsError('settings.url must be an http:// or https:// URL');
    }
    try {
      new URL(url);
    } catch {
      throw new ChannelSettingsError(`settings.url "${url}" is not a valid URL`);
    }
    if (typeof secret !== 'string' || secret.length < 16) {
      throw new ChannelSettingsError('settings.secret must be a string of at least 16 characters');
    }
    if (previousSecret !== undefined && (typeof previousSecret !== 'string' || previousSecret.length < 16)) {
      throw new ChannelSettingsError('settings.previousSecret, when given, must be at least 16 characters');
    }
    return { url, secret, ...(typeof previousSecret === 'string' ? { previousSecret } : {}) };
  },

  async send(message: OutboundMessage, settings: WebhookSettings, options: SendOptions): Promise<SendResult> {
    const body = JSON.stringify(message.payload);
    const timestamp = Math.floor((options.now?.() ?? new Date()).getTime() / 1000);
    const secrets = settings.previousSecret ? [settings.secret, settings.previousSecret] : [settings.secret];
    try {
      const response = await axios.post(settings.url, body, {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'partnerwatch-webhooks/1',
          [WEBHOOK_HEADERS.delivery]: message.deliveryId,
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signatureHeader(secrets, timestamp, body),
          [WEBHOOK_HEADERS.event]: message.eventType,
        },
        timeout: options.timeoutMs,
        maxRedirects: 0,
        signal: options.signal,
        // The body was serialised once above, so the signature covers exactly the bytes sent.
        transformRequest: [(data: unknown) => data],
        validateStatus: () => true,
        responseType: 'text',
      });
      if (response.status >= 200 && response.status < 300) {
        const requestId = response.headers['x-request-id'];
        return { httpStatus: response.status, receiverId: typeof requestId === 'string' ? requestId : undefined };
      }
      const permanent = response.status >= 400 && response.status < 500 && !RETRYABLE_4XX.has(response.status);
      const snippet = String(response.data ?? '').slice(0, 200);
      throw new ChannelSendError(
        `webhook answered HTTP ${response.status}${snippet ? `: ${snippet}` : ''}`,
        permanent,
        response.status,
      );
    } catch (error) {
      if (error instanceof ChannelSendError) throw error;
      const reason = error instanceof AxiosError ? (error.code ?? error.message) : String(error);
      throw new ChannelSendError(`webhook ${settings.url} unreachable: ${reason}`, false);
    }
  },

  redactSettings(settings: WebhookSettings): Record<string, unknown> {
    return {
      url: settings.url,
      secret: '••••' + settings.secret.slice(-4),
      ...(settings.previousSecret ? { previousSecret: '••••' } : {}),
    };
  },
};
