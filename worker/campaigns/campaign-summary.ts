// A campaign in words, shown when it is switched ON: what starts it, who qualifies, each step
// top to bottom (branches indented), who gets what, and how often. Users and lists are named by
// their names, so the marketer reads what will happen rather than ids.
import type { CampaignDefinition, Comparison, Condition, Recipients, Step, Trigger } from '../../durable-objects/contracts/campaign'

export type Names = { users: ReadonlyMap<string, string>; lists: ReadonlyMap<string, string> }

export type CampaignSummary = {
  triggers: string[]
  conditions: string[]
  /** One line a step; a branch's steps are indented by two spaces a level. */
  steps: string[]
  /** Who gets what: e-mails, owners, webhook and chat calls. */
  recipients: string[]
  runLimit: string
}

const quoted = (s: string) => `"${s}"`
const user = (names: Names, id: string) => names.users.get(id) ?? `user ${id}`
const list = (names: Names, id: string) => quoted(names.lists.get(id) ?? id)

/** 90 → "1 minute 30 seconds"; whole units, largest first. */
export function inWords(seconds: number): string {
  const units: Array<[string, number]> = [
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
    ['second', 1],
  ]
  const parts: string[] = []
  let left = seconds
  for (const [unit, size] of units) {
    const n = Math.floor(left / size)
    if (n > 0) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`)
    left -= n * size
  }
  return parts.join(' ') || '0 seconds'
}

const OPS: Record<Comparison['op'], string> = {
  equals: 'is',
  'not-equals': 'is not',
  contains: 'contains',
  'starts-with': 'starts with',
  'is-empty': 'is empty',
  'is-not-empty': 'is not empty',
  'greater-than': 'is greater than',
  'less-than': 'is less than',
}

const comparison = ({ op, value }: Comparison) =>
  op === 'is-empty' || op === 'is-not-empty' ? OPS[op] : `${OPS[op]} ${typeof value === 'number' ? value : quoted(value)}`

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']

function trigger(t: Trigger, names: Names): string {
  switch (t.type) {
    case 'page-visited':
      return `a contact spends time on ${t.pages.map((p) => `${p.pattern} (${inWords(p.minSeconds)} or more)`).join(' or ')}`
    case 'form-submitted': {
      const which = Object.entries(t.form ?? {}).filter(([, value]) => value)
      return which.length === 0
        ? 'a contact submits any form'
        : `a contact submits the form with ${which.map(([k, v]) => `${k} ${quoted(v)}`).join(', ')}`
    }
    case 'contact-created':
      return 'a contact is created'
    case 'contact-updated':
      return `a contact's ${t.field} changes${t.from === undefined ? '' : ` from ${quoted(t.from)}`}${t.to === undefined ? '' : ` to ${quoted(t.to)}`}`
    case 'tag-added':
      return `the tag ${quoted(t.tag)} is added to a contact`
    case 'tag-removed':
      return `the tag ${quoted(t.tag)} is removed from a contact`
    case 'score-crossed':
      return `a contact's score goes ${t.direction === 'up' ? 'up to' : 'down below'} ${t.threshold}`
    case 'custom-event':
      return `the event ${quoted(t.name)} is tracked${t.prop ? ` with ${t.prop.key} ${comparison(t.prop)}` : ''}`
    case 'list-entered':
      return `a contact enters the list ${list(names, t.listId)}`
    case 'list-left':
      return `a contact leaves the list ${list(names, t.listId)}`
    case 'manual':
      return 'someone runs it for a contact (admin or API)'
  }
}

function condition(c: Condition, names: Names): string {
  switch (c.type) {
    case 'field':
      return `${c.field} ${comparison(c)}`
    case 'tag':
      return `${c.present ? 'has' : 'does not have'} the tag ${quoted(c.tag)}`
    case 'score':
      if (c.min !== undefined && c.max !== undefined) return `score between ${c.min} and ${c.max}`
      return c.min !== undefined ? `score at least ${c.min}` : `score at most ${c.max ?? 0}`
    case 'owner':
      if (c.is === 'user') return `owned by ${user(names, c.userId ?? '')}`
      return c.is === 'set' ? 'has an owner' : 'has no owner'
    case 'list':
      return `${c.member ? 'is' : 'is not'} in the list ${list(names, c.listId)}`
    case 'visited':
      return `visited ${c.pattern} in the last ${c.withinDays} day${c.withinDays === 1 ? '' : 's'}`
  }
}

function recipients(to: Recipients): string {
  const who = [...(to.owner ? ["the contact's owner"] : []), ...(to.creator ? ['the campaign’s creator'] : []), ...to.addresses]
  const cc = to.cc.length > 0 ? ` (CC ${to.cc.join(', ')})` : ''
  return `${who.join(', ') || 'nobody'}${cc}`
}

function step(s: Step, names: Names, notify: (s: boolean) => string): string {
  switch (s.type) {
    case 'send-alert':
      return `send an alert e-mail to ${recipients(s.to)}`
    case 'assign-owner':
      return `make ${user(names, s.userId)} the owner${notify(s.notify)}`
    case 'assign-round-robin':
      return `assign an owner in turn among ${s.userIds.map((id) => user(names, id)).join(', ')}${notify(s.notify)}`
    case 'add-tag':
      return `add the tag ${quoted(s.tag)}`
    case 'remove-tag':
      return `remove the tag ${quoted(s.tag)}`
    case 'change-score':
      return `${s.by >= 0 ? 'add' : 'take away'} ${Math.abs(s.by)} points`
    case 'set-field':
      return `set ${s.field} to ${quoted(s.value)}`
    case 'webhook':
      return `call the webhook ${s.url} (signed)`
    case 'chat':
      return `post to the chat webhook ${s.url}`
    case 'wait':
      return `wait ${inWords(s.seconds)}`
    case 'wait-until':
      return `wait until the next ${s.weekday === undefined ? 'day' : WEEKDAYS[s.weekday - 1]} at ${String(s.hour).padStart(2, '0')}:00 (workspace time zone)`
    case 'branch':
      return `if ${condition(s.condition, names)}:`
  }
}

function stepLines(steps: readonly Step[], names: Names, indent: string): string[] {
  const notify = (on: boolean) => (on ? ' and tell them by e-mail' : '')
  return steps.flatMap((s) =>
    s.type === 'branch'
      ? [
          `${indent}${step(s, names, notify)}`,
          ...(s.yes.length > 0 ? stepLines(s.yes, names, `${indent}  `) : [`${indent}  (nothing)`]),
          `${indent}otherwise:`,
          ...(s.no.length > 0 ? stepLines(s.no, names, `${indent}  `) : [`${indent}  (nothing)`]),
        ]
      : [`${indent}${step(s, names, notify)}`],
  )
}

function whoGetsWhat(steps: readonly Step[], names: Names): string[] {
  return steps.flatMap((s): string[] => {
    switch (s.type) {
      case 'send-alert':
        return [`Alert e-mail: ${recipients(s.to)}`]
      case 'assign-owner':
        return [`New owner: ${user(names, s.userId)}${s.notify ? ', told by e-mail' : ''}`]
      case 'assign-round-robin':
        return [`New owner in turn: ${s.userIds.map((id) => user(names, id)).join(', ')}${s.notify ? ', told by e-mail' : ''}`]
      case 'webhook':
        return [`Webhook call: ${s.url}`]
      case 'chat':
        return [`Chat post: ${s.url}`]
      case 'branch':
        return [...whoGetsWhat(s.yes, names), ...whoGetsWhat(s.no, names)]
      default:
        return []
    }
  })
}

function runLimit(definition: CampaignDefinition): string {
  const { runLimit: limit, frequency } = definition
  const base =
    limit.kind === 'once'
      ? 'once per contact, ever'
      : limit.kind === 'always'
        ? 'every time it is triggered'
        : `at most ${limit.count} time${limit.count === 1 ? '' : 's'} per entry`
  return frequency ? `${base}, and at most ${frequency.count} per contact per ${frequency.period}` : base
}

export function summarizeCampaign(definition: CampaignDefinition, names: Names): CampaignSummary {
  return {
    triggers: definition.triggers.map((t) => `When ${trigger(t, names)}`),
    conditions: definition.conditions.map((c) => condition(c, names)),
    steps: stepLines(definition.steps, names, ''),
    recipients: [...new Set(whoGetsWhat(definition.steps, names))],
    runLimit: `Runs ${runLimit(definition)}`,
  }
}
