// GET /api/v1/openapi.json — the REST API described for tools (OpenAPI 3.1). Public: it holds
// no data. Field rules mirror worker/admin/alert-input.ts, which is what actually checks them.
import { Hono } from 'hono'
import { ATTACHMENT_FORMATS, LIMITS } from '../admin/alert-input'

export const openapi = new Hono<{ Bindings: Env }>()

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: object, description: string) => ({ description, content: { 'application/json': { schema } } })
const error = (description: string) => json(ref('Error'), description)
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }

const alertFields = {
  name: { type: 'string', minLength: 1, maxLength: LIMITS.name, description: 'Trimmed; no control characters.' },
  pages: {
    type: 'array',
    minItems: 1,
    maxItems: LIMITS.rows,
    description: 'The alert fires when any row matches. Pattern rules: docs/url-patterns.md.',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['pattern', 'minSeconds'],
      properties: { pattern: { type: 'string', example: '/pricing/**' }, minSeconds: { type: 'integer', minimum: 0, maximum: LIMITS.minSeconds } },
    },
  },
  frequency: {
    type: 'object',
    additionalProperties: false,
    required: ['count', 'period'],
    description: 'At most `count` alerts per contact per calendar period (workspace time zone).',
    properties: { count: { type: 'integer', minimum: 1, maximum: LIMITS.frequencyCount }, period: { enum: ['day', 'week', 'month'] } },
  },
  notifyCreator: { type: 'boolean', description: '"Me": the user who created the alert.' },
  notifyOwner: { type: 'boolean', description: "The contact's owner." },
  cc: { type: 'string', maxLength: 255, description: 'Comma-separated addresses; stored normalised. At least one recipient overall.' },
  description: { type: 'string', maxLength: LIMITS.description },
  attachmentTemplate: { type: ['string', 'null'], description: 'Liquid template; with attachmentFormat, both or neither.' },
  attachmentFormat: { enum: [...ATTACHMENT_FORMATS, null] },
  templateHtml: { type: ['string', 'null'], description: 'Custom HTML e-mail template (Liquid), at most 100 KB; null = default.' },
  active: { type: 'boolean' },
}

const DOCUMENT = {
  openapi: '3.1.0',
  info: { title: 'Pagebell admin API', version: '1', description: 'Alerts and the outbox of the workspace the token belongs to. See docs/admin-api.md.' },
  servers: [{ url: '/api/v1' }],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token created under /admin/tokens.' } },
    schemas: {
      Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' }, field: { type: 'string' }, reason: { type: 'string' }, errors: { type: 'array' } } },
      AlertInput: { type: 'object', additionalProperties: false, required: ['name', 'pages'], properties: alertFields },
      AlertPatch: { type: 'object', additionalProperties: false, properties: alertFields },
      Alert: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          ...alertFields,
          createdBy: { type: 'string' },
          createdAt: { type: 'integer', description: 'epoch ms' },
          updatedAt: { type: 'integer' },
          lastSentAt: { type: ['integer', 'null'] },
        },
      },
      AnalyticsDay: {
        type: 'object',
        properties: { day: { type: 'string', format: 'date' }, ...Object.fromEntries(['fired', 'sent', 'failed', 'digested', 'unknown', 'pending'].map((k) => [k, { type: 'integer' }])) },
      },
      Delivery: { type: 'object', description: 'One outbox row with every attempt (see GET /outbox).' },
    },
  },
  paths: {
    '/alerts': {
      get: { summary: 'List alerts', responses: { 200: json({ type: 'object', properties: { alerts: { type: 'array', items: ref('Alert') } } }, 'The alerts') } },
      post: {
        summary: 'Create an alert (admin, marketer)',
        requestBody: { required: true, content: { 'application/json': { schema: ref('AlertInput') } } },
        responses: { 201: json(ref('Alert'), 'Created'), 400: error('Invalid; `field` names the first bad field'), 403: error('Sales role') },
      },
    },
    '/alerts/{id}': {
      parameters: [idParam],
      get: { summary: 'Read an alert', responses: { 200: json(ref('Alert'), 'The alert'), 404: error('Not in your workspace') } },
      patch: {
        summary: 'Change some fields (admin, marketer)',
        requestBody: { required: true, content: { 'application/json': { schema: ref('AlertPatch') } } },
        responses: { 200: json(ref('Alert'), 'Changed'), 400: error('Invalid'), 403: error('Sales role'), 404: error('Not found') },
      },
      delete: { summary: 'Delete an alert and its outbox history (admin, marketer)', responses: { 204: { description: 'Deleted' }, 403: error('Sales role'), 404: error('Not found') } },
    },
    '/alerts/{id}/toggle': {
      parameters: [idParam],
      post: { summary: 'Switch ON/OFF (admin, marketer)', responses: { 200: json(ref('Alert'), 'The alert as it is now'), 404: error('Not found') } },
    },
    '/alerts/{id}/test': {
      parameters: [idParam],
      post: {
        summary: 'Send the saved alert for a sample contact to one address (admin, marketer)',
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['to'], properties: { to: { type: 'string', format: 'email' } } } } } },
        responses: { 200: json({ type: 'object' }, '{sent: true, to}'), 400: error('Not an address'), 404: error('Not found'), 502: error('Refused by the mail server'), 503: error('Temporary failure') },
      },
    },
    '/alerts/{id}/analytics': {
      parameters: [idParam, { name: 'days', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 366, default: 30 } }],
      get: {
        summary: 'Outbox rows per UTC day and status',
        responses: { 200: json({ type: 'object', properties: { alertId: { type: 'string' }, since: { type: 'integer' }, days: { type: 'array', items: ref('AnalyticsDay') }, counts: { type: 'string' } } }, 'Per day') },
      },
    },
    '/outbox': {
      get: {
        summary: 'Recent deliveries with every attempt',
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          { name: 'alert', in: 'query', schema: { type: 'string' }, description: 'Only this alert' },
        ],
        responses: { 200: json({ type: 'object', properties: { deliveries: { type: 'array', items: ref('Delivery') } } }, 'Newest first') },
      },
    },
  },
}

openapi.get('/', (c) => c.json(DOCUMENT))
