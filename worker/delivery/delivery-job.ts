// What travels on the alerts queue: an alert job from a contact's object, or a digest job the
// consumer schedules itself (delayed to the end of an hour) for the flood cap.
import type { AlertJob } from '../../durable-objects/alert-job'

export type DigestJob = { kind: 'digest'; digestId: string; workspaceId: string; recipient: string; hourStart: number }

export type DeliveryJob = AlertJob | DigestJob

export const isDigestJob = (job: DeliveryJob): job is DigestJob => 'kind' in job && job.kind === 'digest'
