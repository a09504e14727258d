// A session's browser as people recognise it ("Chrome 150 on Linux") from the User-Agent it
// logged in with; the full string stays available as the label's title.

const BROWSERS: Array<[RegExp, string]> = [
  [/Edg(?:e|A|iOS)?\/(\d+)/, 'Edge'],
  [/OPR\/(\d+)/, 'Opera'],
  [/Firefox\/(\d+)/, 'Firefox'],
  [/FxiOS\/(\d+)/, 'Firefox'],
  [/CriOS\/(\d+)/, 'Chrome'],
  [/Chrome\/(\d+)/, 'Chrome'],
  [/Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//, 'Safari'],
]

const SYSTEMS: Array<[RegExp, string]> = [
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/CrOS/, 'ChromeOS'],
  [/Windows/, 'Windows'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Linux/, 'Linux'],
]

export function deviceLabel(userAgent: string): string {
  if (!userAgent.trim()) return 'Unknown browser'
  const browser = BROWSERS.map(([pattern, name]) => ({ match: pattern.exec(userAgent), name })).find((b) => b.match)
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1]
  if (!browser?.match) return userAgent.length > 60 ? `${userAgent.slice(0, 57)}…` : userAgent
  const name = `${browser.name} ${browser.match[1] ?? ''}`.trim()
  return system ? `${name} on ${system}` : name
}
