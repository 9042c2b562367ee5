import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { problemSchema, receiptSchema, stateParams } from '../http/schemas.ts';
import type { NotificationsService, WebhookView } from './service.ts';
import { proposedResponse } from '../pending/routes.ts';
import type { PendingService } from '../pending/service.ts';

const webhookSchema = z
  .object({
    state: z.string(),
    url: z.string(),
    setAt: z.iso.datetime().describe('When this URL and its secret were set'),
  })
  .meta({ id: 'Webhook' });

const toBody = (w: WebhookView) => ({ state: w.state, url: w.url, setAt: new Date(w.setAt).toISOString() });

const setResponse = z.object({
  webhook: webhookSchema,
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/)
    .describe('Standard Webhooks signing secret ("whsec_" + base64). Shown in this response only; store it now.'),
  receipt: receiptSchema,
});

export const notificationsRoutes =
  (notifications: NotificationsService, pending: PendingService): FastifyPluginAsyncZod =>
  async (app) => {
    // Under dual control setting or removing the webhook is proposed (202) and applied when another user of the state approves it (appliers: services.ts).

    app.put('/v1/states/:code/webhook', {
      config: { action: 'webhook.change' },
      schema: {
        tags: ['notifications'],
        operationId: 'setWebhook',
        summary: "Set where the state is notified (a delegate of that state); returns the signing secret, once",
        description:
          'Deliveries are POSTs signed per the Standard Webhooks specification (headers webhook-id, webhook-timestamp, webhook-signature). The URL must be https and resolve only to public addresses (unless WEBHOOKS_ALLOW_PRIVATE=true). Setting the webhook again replaces the URL and issues a new secret. Under the state\'s dual control it answers 202 with a pending change (the URL is checked now and again when applied); the secret is then returned, once, to the user who approves it.',
        params: stateParams,
        body: z.object({ url: z.string().max(2048) }).strict(),
        response: {
          200: setResponse,
          201: setResponse,
          202: proposedResponse,
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          409: problemSchema,
        },
      },
      handler: async (req, reply) => {
        if (await pending.dualControl(req.params.code)) {
          const url = await notifications.checkWebhook(req.actor!, req.params.code, req.body.url);
          return reply.code(202).send(await pending.propose(req.actor!, req.params.code, 'webhook.set', null, { state: req.params.code, url }));
        }
        const result = await notifications.setWebhook(req.actor!, req.params.code, req.body.url);
        reply.header('cache-control', 'no-store');
        return reply.code(result.created ? 201 : 200).send({ webhook: toBody(result.webhook), secret: result.secret, receipt: result.receipt });
      },
    });

    app.get('/v1/states/:code/webhook', {
      config: { action: 'webhook.read' },
      schema: {
        tags: ['notifications'],
        operationId: 'getWebhook',
        description: 'The state\'s webhook URL and when it was set. The signing secret is never returned again.',
        summary: "The state's webhook URL and when it was set, never the secret (its delegates and the secretariat)",
        params: stateParams,
        response: { 200: z.object({ webhook: webhookSchema }), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
      },
      handler: async (req) => ({ webhook: toBody(await notifications.getWebhook(req.actor!, req.params.code)) }),
    });

    app.delete('/v1/states/:code/webhook', {
      config: { action: 'webhook.change' },
      schema: {
        tags: ['notifications'],
        operationId: 'deleteWebhook',
        description: 'Removes the state\'s webhook; nothing is posted to it any more. Under the state\'s dual control it answers 202 with a pending change, applied when another user of the state approves it.',
        summary: "Remove the state's webhook (a delegate of that state)",
        params: stateParams,
        response: { 200: z.object({ receipt: receiptSchema }), 202: proposedResponse, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
      },
      handler: async (req, reply) => {
        if (await pending.dualControl(req.params.code)) {
          await notifications.checkRemove(req.actor!, req.params.code);
          return reply.code(202).send(await pending.propose(req.actor!, req.params.code, 'webhook.remove', null, { state: req.params.code }));
        }
        return notifications.removeWebhook(req.actor!, req.params.code);
      },
    });
  };
