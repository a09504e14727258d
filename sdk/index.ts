// The snippet's script (dist/pb.js, served as /pb.js):
//   <script async src="https://EDGE/pb.js" data-site="SITE_KEY"></script>
// Options are data- attributes: data-endpoint, data-dnt (honour Do-Not-Track and Global Privacy
// Control), data-consent (send nothing until pagebell('consent', true)), data-spa="off", data-hash.
// Calls queued by the stub
//   window.pagebell = window.pagebell || function () { (pagebell.q = pagebell.q || []).push(arguments) }
// run in order once the script has started; later calls run at once. The only global is `pagebell`.
import { safe } from './safe'
import { pagebell, start } from './tracker'

safe(() => {
  const w = window as unknown as { pagebell?: { q?: ArrayLike<unknown>[] } }
  const queued = w.pagebell?.q || []
  // Defined first: on a page too broken to track, calls still land somewhere harmless.
  w.pagebell = pagebell as typeof w.pagebell
  start((document.currentScript as HTMLScriptElement).dataset)
  for (const call of queued) pagebell(...(call as Parameters<typeof pagebell>))
})()
