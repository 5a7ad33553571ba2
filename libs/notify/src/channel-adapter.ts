/** What every channel receives: one alert, already rendered to a JSON payload and short text. */
export interface OutboundMessage {
  /** The delivery's id: receivers dedupe on it. */
  deliveryId: string;
  /** e.g. "alert.listed", "alert.delisted", "test". */
  eventType: string;
  payload: Record<string, unknown>;
  title: string;
  summary: string;
}

export interface SendOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Unix time used for signatures; injectable so tests can check replay windows. */
  now?: () => Date;
}

export interface SendResult {
  /** The receiver's id for the message when it returns one, else a description of the response. */
  receiverId?: string;
  httpStatus?: number;
}

/** A channel adapter sends one message; deciding whether to send lives above all channels. */
export interface ChannelAdapter<S = unknown> {
  readonly channel: string;
  /** Validate settings; throw ChannelSettingsError naming the bad field. */
  parseSettings(settings: unknown): S;
  send(message: OutboundMessage, settings: S, options: SendOptions): Promise<SendResult>;
  /** Settings with secrets masked, for API responses. */
  redactSettings(settings: S): Record<string, unknown>;
}

export class ChannelSettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelSettingsError';
  }
}

/** A failed send. Permanent failures (bad URL, 4xx the receiver will keep answering) are not retried. */
export class ChannelSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'ChannelSendError';
  }
}
