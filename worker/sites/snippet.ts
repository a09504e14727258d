// What a site owner pastes: the script tag for the site, and the few lines their backend needs
// to sign `identify` calls. The signature rule is the one worker/collect/identity.ts checks: the
// hex HMAC-SHA256, keyed with the workspace's identity secret, of the e-mail as the server reads
// it — trimmed and lower-cased (sdk/wire.ts `Email`). test/node/sites/identify-examples.test.ts
// runs the Node, PHP and Python examples against that verifier.

/** The tag for every page; `data-dnt` when the site honours privacy signals, so the script sends nothing then. */
export function siteSnippet(scriptOrigin: string, key: string, honorPrivacySignals: boolean): string {
  return `<script async src="${scriptOrigin}/pb.js" data-site="${key}"${honorPrivacySignals ? ' data-dnt' : ''}></script>`
}

/** The environment variable the examples read the secret from. */
export const SECRET_VARIABLE = 'PAGEBELL_IDENTITY_SECRET'

export type IdentifyExample = { language: 'node' | 'php' | 'python'; label: string; code: string }

export const IDENTIFY_EXAMPLES: IdentifyExample[] = [
  {
    language: 'node',
    label: 'Node.js',
    code: `import { createHmac } from 'node:crypto'

// email: the signed-in user's address
const sig = createHmac('sha256', process.env.${SECRET_VARIABLE})
  .update(email.trim().toLowerCase())
  .digest('hex')`,
  },
  {
    language: 'php',
    label: 'PHP',
    // strtolower, not mb_strtolower: the worker accepts ASCII addresses only (sdk/wire.ts), for which
    // both agree, and mbstring is an extension a stock php-cli does not have.
    code: `<?php
// $email: the signed-in user's address
$secret = getenv('${SECRET_VARIABLE}');
$sig = hash_hmac('sha256', strtolower(trim($email)), $secret);`,
  },
  {
    language: 'python',
    label: 'Python',
    code: `import hashlib, hmac, os

# email: the signed-in user's address
secret = os.environ["${SECRET_VARIABLE}"].encode()
sig = hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()`,
  },
]

/** What the page then says, with the e-mail and the signature the backend wrote into it. */
export const IDENTIFY_PAGE_CALL = `<script>
  window.pagebell = window.pagebell || function () { (pagebell.q = pagebell.q || []).push(arguments) }
  pagebell('identify', { email: 'ana@buyer.com', sig: 'the sig your backend computed' })
</script>`
