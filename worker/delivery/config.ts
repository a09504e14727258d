// Delivery settings read from the worker's environment once, validated, and typed: which
// transport, its endpoint and secrets, and the flood cap. Secrets come from `wrangler secret`
// (or .dev.vars locally), so they are optional here and checked when a transport needs them.
import * as v from 'valibot'

export const TRANSPORT_NAMES = ['smtp', 'http-api', 'send-email', 'webhook', 'chat'] as const
export type TransportName = (typeof TRANSPORT_NAMES)[number]

const PositiveInt = v.pipe(v.string(), v.trim(), v.digits(), v.transform(Number), v.integer(), v.minValue(1))
const Url = v.pipe(v.string(), v.url())
const SendEmailBinding = v.custom<SendEmail>((x) => typeof x === 'object' && x !== null && typeof Reflect.get(x, 'send') === 'function')

const DeliveryEnv = v.object({
  MAIL_TRANSPORT: v.optional(v.picklist(TRANSPORT_NAMES), 'smtp'),
  MAIL_FROM: v.string(),
  SMTP_URL: v.optional(Url),
  /** Resend-compatible endpoint; the default is Resend's. */
  MAIL_API_URL: v.optional(Url, 'https://api.resend.com/emails'),
  MAIL_API_KEY: v.optional(v.string()),
  WEBHOOK_URL: v.optional(Url),
  WEBHOOK_SECRET: v.optional(v.string()),
  CHAT_WEBHOOK_URL: v.optional(Url),
  /** Alerts one recipient gets per clock hour before further ones fold into a digest. */
  ALERTS_PER_RECIPIENT_HOUR: v.optional(PositiveInt, '20'),
  SEND_EMAIL: v.optional(SendEmailBinding),
  /** Campaign webhooks and chat posts may reach http and private hosts (tests, `npm start`): any value but '' / 'false' / '0'. */
  ALLOW_PRIVATE_WEBHOOKS: v.optional(
    v.pipe(
      v.string(),
      v.transform((s) => !['', 'false', '0'].includes(s.trim().toLowerCase())),
    ),
    'false',
  ),
})

export type DeliveryConfig = v.InferOutput<typeof DeliveryEnv>

/** Throws a readable error on a misconfiguration, so a bad deploy fails on its first job. */
export function deliveryConfig(env: object): DeliveryConfig {
  const parsed = v.safeParse(DeliveryEnv, env)
  if (parsed.success) return parsed.output
  throw new Error(`delivery settings: ${parsed.issues.map((i) => `${v.getDotPath(i) ?? '?'}: ${i.message}`).join('; ')}`)
}
