// The ESM build for bundlers (dist/pagebell.mjs):
//   import { createPagebell } from '.../pagebell.mjs'
//   const pagebell = createPagebell({ site: 'SITE_KEY', endpoint: 'https://EDGE/api/collect' })
//   pagebell('identify', { email })
// It defines no global. Tracking starts on the first call; later calls return the same function.
import type { Pagebell, PagebellOptions, Settings } from './options'
import { pagebell, start } from './tracker'

export type { Pagebell, PagebellOptions } from './options'

let started = false

export function createPagebell(o: PagebellOptions): Pagebell {
  try {
    if (!started) {
      started = true
      const flags: Settings = { site: o.site, endpoint: o.endpoint }
      if (o.respectDnt) flags.dnt = ''
      if (o.requireConsent) flags.consent = ''
      if (o.spa == false) flags.spa = 'off'
      if (o.hash) flags.hash = ''
      start(flags)
    }
  } catch {}
  return pagebell
}
