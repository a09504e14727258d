// The product as the browser tests run it: `wrangler dev` on a free port with a state folder of
// its own (so every test file starts from a fresh instance), its D1 migrated and, unless `demo`
// is false, the demo seeded; the real SMTP sink. PB_STACK_LOG=1 prints the worker's log.
import { startLocalStack, type LocalStack } from '../../../scripts/local-stack'
import { freePort } from '../../support/free-port'

export async function startTestStack(options: { demo?: boolean } = {}): Promise<LocalStack> {
  return startLocalStack({
    port: await freePort(),
    demo: options.demo,
    log: process.env.PB_STACK_LOG ? (l) => process.stdout.write(l) : undefined,
  })
}
