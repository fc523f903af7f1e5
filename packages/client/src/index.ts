// The client under Node.js, Deno and Bun: everything, the WebHook receiver included.

export * from './browser.ts';
export { MilkyWebhookReceiver, type WebhookReceiverOptions } from './webhook.ts';
