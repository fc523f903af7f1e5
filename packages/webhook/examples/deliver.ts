import { WebhookDispatcher } from '@milky/webhook';

const webhooks = new WebhookDispatcher({
  targets: [process.env.WEBHOOK_URL ?? 'http://127.0.0.1:8080/milky'],
  token: 'the-access-token', // sent as `Authorization: Bearer the-access-token`
});
webhooks.on('failed', ({ url, reason }) => console.error(`gave up on an event for ${url}: ${reason}`));

const event = { time: 1763900000, self_id: 10001, event_type: 'bot_offline', data: { reason: 'logged out' } };
webhooks.push(JSON.stringify(event)); // the same bytes a WebSocket client receives

const report = await webhooks.close({ deadline: 5000 }); // delivers what waits, then stops
console.log(webhooks.stats()[0]?.delivered, report.undelivered); // 1 []
