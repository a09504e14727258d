// A customer's own website for the browser tests: served by Node on `localhost` and a free port,
// another origin than Pagebell (127.0.0.1), so the page loads the snippet cross-origin and the
// collect endpoint checks its allowed domain as it would in production. Each test renders its
// own pages; a form posted to it gets the page for the path it was posted to.
import { createServer } from 'node:http'
import { freePort } from '../../support/free-port'

export type CustomerSite = { origin: string; close: () => Promise<void> }

/** Serves `render(url)` for every path (null: 404); the favicon is always a 404. */
export async function serveCustomerSite(render: (url: URL) => string | null): Promise<CustomerSite> {
  const port = await freePort()
  const server = createServer((req, res) => {
    // A posted form's body is not needed: reading it keeps the connection usable.
    req.resume()
    const url = new URL(req.url ?? '/', `http://localhost:${port}`)
    const page = url.pathname === '/favicon.ico' ? null : render(url)
    res.writeHead(page === null ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(page ?? '')
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return { origin: `http://localhost:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) }
}
