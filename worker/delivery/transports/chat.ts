// A Slack-compatible incoming webhook: `{text, blocks}`. The visitor's text goes only into
// plain_text blocks or escaped mrkdwn, so it cannot form links or mentions. Chat webhooks do
// not dedupe, so this transport is not idempotent (an interrupted send is not repeated).
import { postJson } from './http-post'
import type { OutgoingMessage, Transport } from './transport'

/** Slack's own escaping for mrkdwn text: &, < and > only. */
export const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

const MAX_SECTION_CHARS = 2900

export function chatTransport(options: { url: string }): Transport {
  return {
    name: 'chat',
    idempotent: false,
    async send(message: OutgoingMessage) {
      const body = JSON.stringify({
        text: slackEscape(message.subject),
        blocks: [
          { type: 'header', text: { type: 'plain_text', text: message.subject.slice(0, 150) } },
          { type: 'section', text: { type: 'mrkdwn', text: slackEscape(message.text).slice(0, MAX_SECTION_CHARS) } },
          { type: 'context', elements: [{ type: 'plain_text', text: `alert ${message.alertKey}`.slice(0, 150) }] },
        ],
      })
      await postJson('chat', options.url, body, {})
    },
  }
}
