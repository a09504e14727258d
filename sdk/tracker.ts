// The `pagebell(...)` command function, shared by the snippet (index.ts) and the ESM build (module.ts).
import type { Pagebell } from './options'
import { safe } from './safe'
import { consent, send } from './transport'
import { warn } from './warn'

type Person = { email: string; sig?: string; [trait: string]: string | number | boolean | undefined }

// An identify without an e-mail the server would take is dropped here (sent, it would cost its
// whole batch) and reported like an unknown command.
const run = (command: string, a: unknown, b: unknown) =>
  command == 'consent'
    ? consent(a)
    : command == 'track'
      ? send({ type: 'track', name: a as string, props: b as Record<string, string> })
      : command == 'identify' && /^\S+@\S+\.\S+$/.test((a as Person)?.email)
        ? send({ type: 'identify', email: (a as Person).email, sig: (a as Person).sig, traits: a as Record<string, string> })
        : warn(command)

/** `pagebell(...)`: never throws. */
export const pagebell = safe(run) as Pagebell
