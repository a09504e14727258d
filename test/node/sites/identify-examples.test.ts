// The signed-identify examples the site page shows, run for real: the Node example by node, the
// PHP one by php and the Python one by python3, each with the secret in its environment
// variable, must produce the signature the collect worker accepts — the hex HMAC-SHA256
// (worker/hex-digest.ts, as worker/collect/identity.ts computes it) of the e-mail as the wire
// contract reads it, trimmed and lower-cased. php is required, not optional: .ci/run installs
// php-cli (a stock one, without the mbstring extension) when it is missing.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v from 'valibot'
import { afterAll, describe, expect, it } from 'vitest'
import { Email } from '../../../sdk/wire'
import { hmacSha256Hex } from '../../../worker/hex-digest'
import { IDENTIFY_EXAMPLES, SECRET_VARIABLE } from '../../../worker/sites/snippet'

const dir = mkdtempSync(join(tmpdir(), 'pagebell-identify-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SECRET = 'pbi_0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0'
const RAW_EMAIL = '  Ana.Buyer@Shop.TEST '

const example = (language: string) => {
  const found = IDENTIFY_EXAMPLES.find((e) => e.language === language)
  if (!found) throw new Error(`no ${language} example`)
  return found.code
}

/** What the verifier compares a `sig` with, for the e-mail a page passes to identify. */
const expectedSig = async (email: string) => hmacSha256Hex(SECRET, v.parse(Email, email))

function run(command: string, file: string, source: string): string {
  writeFileSync(join(dir, file), source)
  return execFileSync(command, [join(dir, file), RAW_EMAIL], {
    env: { ...process.env, [SECRET_VARIABLE]: SECRET },
    encoding: 'utf8',
  }).trim()
}

describe('signed identify examples', () => {
  it('the Node.js example signs as the collect worker verifies', async () => {
    const sig = run('node', 'example.mjs', `const email = process.argv[2]\n${example('node')}\nconsole.log(sig)\n`)
    expect(sig).toMatch(/^[0-9a-f]{64}$/)
    expect(sig).toBe(await expectedSig(RAW_EMAIL))
  })

  it('the Python example signs as the collect worker verifies', async () => {
    const sig = run('python3', 'example.py', `import sys\nemail = sys.argv[1]\n${example('python')}\nprint(sig)\n`)
    expect(sig).toBe(await expectedSig(RAW_EMAIL))
  })

  it('the PHP example signs as the collect worker verifies', async () => {
    const source = example('php').replace(/^<\?php\n/, '<?php\n$email = $argv[1];\n')
    const sig = run('php', 'example.php', `${source}\necho $sig, PHP_EOL;\n`)
    expect(sig).toBe(await expectedSig(RAW_EMAIL))
  })

  it('a signature over the e-mail as typed, untrimmed or in capitals, is not the one verified', async () => {
    expect(await hmacSha256Hex(SECRET, RAW_EMAIL)).not.toBe(await expectedSig(RAW_EMAIL))
  })
})
