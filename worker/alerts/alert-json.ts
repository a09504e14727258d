// The API's view of an alert: its values, with the frequency as one object, and bookkeeping.
// `AlertView` describes it in the OpenAPI document; `alertJson` is typed against it.
import * as v from 'valibot'
import type { AlertRow } from '../db/queries/alerts'
import { alertValues } from '../db/queries/alerts'
import { ALERT_FIELDS } from './alert-input'

const epochMs = v.pipe(v.number(), v.integer(), v.description('epoch ms'))

export const AlertView = v.pipe(
  v.object({
    id: v.string(),
    ...ALERT_FIELDS,
    createdBy: v.string(),
    createdAt: epochMs,
    updatedAt: epochMs,
    lastSentAt: v.nullable(epochMs),
  }),
  v.metadata({ ref: 'Alert' }),
)

export type AlertJson = v.InferOutput<typeof AlertView>

export function alertJson(row: AlertRow, lastSentAt: number | null = null): AlertJson {
  const { frequencyCount, frequencyPeriod, ...values } = alertValues(row)
  return {
    id: row.id,
    ...values,
    frequency: { count: frequencyCount, period: frequencyPeriod },
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastSentAt,
  }
}
