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

/** The way back from a refused page: the list of the section it belongs to. */
const SECTIONS: Record<string, string> = {
  contacts: 'All contacts',
  alerts: 'All alerts',
  campaigns: 'All campaigns',
  lists: 'All smart lists',
  'scoring-rules': 'All scoring rules',
  outbox: 'The outbox',
  sites: 'All sites',
  team: 'The team',
  tokens: 'API tokens',
}

function backLink(path: string): Html {
  const section = /^\/admin\/([a-z-]+)/.exec(path)?.[1] ?? ''
  const label = SECTIONS[section]
  return label ? html`<a href="/admin/${section}">${label}</a>` : html`<a href="/admin/contacts">All contacts</a>`
}

export function errorScreen(options: { status: number; reason: string; loggedIn: boolean; path: string }): { title: string; body: Html } {
  const title = TITLES[options.status] ?? TITLES[500] ?? 'Error'
  const back = options.loggedIn ? backLink(options.path) : html`<a href="/admin/login">Log in</a>`
  return {
    title,
    body: html`<h1>${title}</h1>
      <p>${sentence(options.reason)} ${back}</p>`,
  }
}
