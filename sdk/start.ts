// Starts tracking, the same way for the snippet (its data- attributes) and the ESM build (its options).
import { startForms } from './forms'
import { startLinks } from './links'
import type { Settings } from './options'
import { startTransport } from './transport'
import { startVisits } from './visits'

export const start = (o: Settings, src: string): void => {
  startTransport(o, src)
  startVisits(o)
  startForms()
  startLinks()
}
