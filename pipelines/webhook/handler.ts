import { loadWebhookConfig } from './config.ts'
import { createWebhookHandler } from './webhook.ts'

/** Lambda entry of the push webhook (API Gateway HTTP API, payload 2.0). */
export const handler = createWebhookHandler(loadWebhookConfig(process.env))
