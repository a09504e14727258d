// deviceLabel: a session's User-Agent as the browser and system people recognise.
import { describe, expect, it } from 'vitest'
import { deviceLabel } from '../../../worker/admin/ui/device-label'

describe('deviceLabel', () => {
  it('names common browsers with their major version and system', () => {
    for (const [ua, label] of <Array<[string, string]>>[
      ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.7871.100 Safari/537.36', 'Chrome 150 on Linux'],
      [
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36 Edg/131.0.2903.86',
        'Edge 131 on Windows',
      ],
      ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox 133 on macOS'],
      [
        'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
        'Safari 18 on iOS',
      ],
      [
        'Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36',
        'Chrome 131 on Android',
      ],
    ])
      expect(deviceLabel(ua)).toBe(label)
  })

  it('keeps an unknown agent as it is (shortened), and says so when there is none', () => {
    expect(deviceLabel('curl/8.5.0')).toBe('curl/8.5.0')
    expect(deviceLabel('x'.repeat(100))).toHaveLength(58)
    expect(deviceLabel('')).toBe('Unknown browser')
  })
})
