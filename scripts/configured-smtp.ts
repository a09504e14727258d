// The SMTP server a developer configured for `npm start`: `SMTP_URL` from the environment, else
// from `.dev.vars` (the file wrangler reads for local secrets). None means "run the mail sink".
import { existsSync, readFileSync } from 'node:fs'

/** KEY=value lines as wrangler reads `.dev.vars` (dotenv): comments, blank lines and quotes allowed. */
export function parseDevVars(text: string): Record<string, string> {
  const vars: Record<string, string> = {}
  for (const line of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line)
    if (!match?.[1] || match[2] === undefined) continue
    const raw = match[2]
    const quoted = /^(["'])(.*)\1$/.exec(raw)
    vars[match[1]] = quoted?.[2] ?? raw.replace(/\s+#.*$/, '')
  }
  return vars
}

export function configuredSmtpUrl(env: NodeJS.ProcessEnv = process.env, devVarsFile = '.dev.vars'): string | null {
  if (env.SMTP_URL) return env.SMTP_URL
  if (!existsSync(devVarsFile)) return null
  return parseDevVars(readFileSync(devVarsFile, 'utf8')).SMTP_URL || null
}
