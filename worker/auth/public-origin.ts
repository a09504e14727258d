// Where links in account e-mails point. PUBLIC_URL (a var or secret, e.g. https://pagebell.acme.com)
// names the admin's address; without it the origin of the request that asked for the link is
// used. On Cloudflare that origin is one of the worker's own routes (a request for another host
// never reaches it), so a forged Host header cannot point a reset link at someone else's site;
// PUBLIC_URL is for deployments behind a proxy that rewrites the host.
import * as v from 'valibot'

const PublicUrlEnv = v.object({ PUBLIC_URL: v.optional(v.pipe(v.string(), v.trim(), v.url())) })

export function publicOrigin(env: object, requestUrl: string): string {
  const parsed = v.safeParse(PublicUrlEnv, env)
  const configured = parsed.success ? parsed.output.PUBLIC_URL : undefined
  return new URL(configured || requestUrl).origin
}
