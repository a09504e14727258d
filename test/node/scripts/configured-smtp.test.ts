// `npm start` uses the developer's SMTP server when one is configured.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { configuredSmtpUrl, parseDevVars } from '../../../scripts/configured-smtp'

const devVars = (text: string) => {
  const file = join(mkdtempSync(join(tmpdir(), 'pb-devvars-')), '.dev.vars')
  writeFileSync(file, text)
  return file
}

describe('configured SMTP for npm start', () => {
  it('configured-smtp: reads SMTP_URL from .dev.vars, with comments, quotes and export', () => {
    expect(parseDevVars('# local\nexport SMTP_URL="smtp://a:b@mail.test:587"\nOTHER=1 # note\n')).toEqual({
      SMTP_URL: 'smtp://a:b@mail.test:587',
      OTHER: '1',
    })
    expect(configuredSmtpUrl({}, devVars('SMTP_URL=smtp://mail.test:2525\n'))).toBe('smtp://mail.test:2525')
  })

  it('configured-smtp: the environment wins over .dev.vars', () => {
    expect(configuredSmtpUrl({ SMTP_URL: 'smtp://env.test:25' }, devVars('SMTP_URL=smtp://file.test:25\n'))).toBe('smtp://env.test:25')
  })

  it('configured-smtp: none configured (no file, commented out, or empty) means the mail sink runs', () => {
    expect(configuredSmtpUrl({}, '/nonexistent/.dev.vars')).toBeNull()
    expect(configuredSmtpUrl({}, devVars('# SMTP_URL=smtp://x:25\n'))).toBeNull()
    expect(configuredSmtpUrl({}, devVars('SMTP_URL=\n'))).toBeNull()
  })
})
