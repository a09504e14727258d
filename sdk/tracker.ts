// The `pagebell(...)` command function, shared by the snippet (index.ts) and the ESM build (module.ts).
import type { Pagebell } from './options'
import { safe } from './safe'
import { consent, send } from './transport'

type Person = { email: string; sig?: string; [trait: string]: string | number | boolean | undefined }

// Unknown commands and bad arguments are dropped without a word: a console message does not
// fit the size budget, and the ESM build's types catch misuse at compile time.
const run = (command: string, a: unknown, b: unknown) =>
  command == 'consent'
    ? consent(a)
    : command == 'track'
      ? send({ type: 'track', name: a as string, props: b as Record<string, string> })
      : command == 'identify' && send({ type: 'identify', email: (a as Person).email, sig: (a as Person).sig, traits: a as Record<string, string> })

/** `pagebell(...)`: never throws. */
export const pagebell = safe(run) as Pagebell
