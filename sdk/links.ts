// Clicks on links that leave the site (`outbound-click`) or fetch a file (`file-download`: a
// `download` attribute or one of the extensions below), sent as `track` events with the link's
// URL, so rules can use them like any custom event. Middle clicks (new tab) count too. By beacon:
// an outbound click is usually the last thing the page does.
import { listen, text } from './safe'
import { send } from './transport'

export const FILE_EXTENSIONS = /\.(pdf|(doc|xls|ppt)x?|csv|zip|rar|7z|gz|dmg|exe|msi|apk|mp[34])$/i

const click = (e: Event) => {
  const a = (e.target as Element).closest('a')!
  // mailto:, tel: and javascript: links have no host.
  const name =
    a?.host &&
    (a.hasAttribute('download') || FILE_EXTENSIONS.test(a.pathname) ? 'file-download' : a.host != location.host && 'outbound-click')
  if (name) send({ type: 'track', name, props: { url: text(a.href) } }, 1)
}

export const startLinks = (): void => listen({ click, auxclick: click })
