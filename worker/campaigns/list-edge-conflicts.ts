// bsport's rule for smart lists (SPEC §4, seeds/003): on one edge of a list (a contact enters it,
// or leaves it) each channel (an alert e-mail, a webhook, a chat post) has one campaign at most,
// so a contact entering a list is not told the same thing twice by two campaigns. Checked among
// the campaigns that are ON, the one being switched on or saved included.
import type { CampaignDefinition } from '../../durable-objects/contracts/campaign'
import type { FieldError } from '../field-errors'
import { stepsOf } from './campaign-refs'

const CHANNELS = { 'send-alert': 'an alert e-mail', webhook: 'a webhook call', chat: 'a chat post' } as const
type Channel = keyof typeof CHANNELS

export type CampaignOnEdges = { id: string; name: string; definition: CampaignDefinition }

const isChannel = (type: string): type is Channel => type in CHANNELS

function channels(definition: CampaignDefinition): Set<Channel> {
  const found = new Set<Channel>()
  for (const { step } of stepsOf(definition.steps)) if (isChannel(step.type)) found.add(step.type)
  return found
}

function edges(definition: CampaignDefinition): Array<{ key: string; field: string; words: string }> {
  return definition.triggers.flatMap((trigger, i) =>
    trigger.type === 'list-entered' || trigger.type === 'list-left'
      ? [
          {
            key: `${trigger.type} ${trigger.listId}`,
            field: `triggers.${i}`,
            words: trigger.type === 'list-entered' ? 'enters' : 'leaves',
          },
        ]
      : [],
  )
}

/** The refusals of `campaign` against the other campaigns that are ON (itself left out of them). */
export function listEdgeConflicts(campaign: CampaignOnEdges, others: readonly CampaignOnEdges[]): FieldError[] {
  const mine = channels(campaign.definition)
  const errors: FieldError[] = []
  for (const edge of edges(campaign.definition)) {
    for (const other of others) {
      if (other.id === campaign.id || !edges(other.definition).some((e) => e.key === edge.key)) continue
      const shared = [...channels(other.definition)].filter((channel) => mine.has(channel))
      if (shared.length === 0) continue
      const what = shared.map((channel) => CHANNELS[channel]).join(' and ')
      errors.push({
        field: edge.field,
        reason: `the campaign "${other.name}" already sends ${what} when a contact ${edge.words} this list: one campaign per channel on a list's entry or exit`,
      })
    }
  }
  return errors
}
