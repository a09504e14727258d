// The page for a refused or failed admin request: what happened, in the words of the error,
// and a way back.
import { html } from 'hono/html'
import type { Html } from './layout'

const TITLES: Record<number, string> = {
  400: 'Not accepted',
  401: 'Session ended',
  403: 'Not allowed',
  404: 'Not found',
  500: 'Something went wrong',
}

const sentence = (reason: string) => `${reason.charAt(0).toUpperCase()}${reason.slice(1)}${/[.!?]$/.test(reason) ? '' : '.'}`

export function errorScreen(options: { status: number; reason: string; loggedIn: boolean }): { title: string; body: Html } {
  const title = TITLES[options.status] ?? TITLES[500] ?? 'Error'
  const back = options.loggedIn ? html`<a href="/admin/alerts">All alerts</a>` : html`<a href="/admin/login">Log in</a>`
  return {
    title,
    body: html`<h1>${title}</h1>
      <p>${sentence(options.reason)} ${back}</p>`,
  }
}
