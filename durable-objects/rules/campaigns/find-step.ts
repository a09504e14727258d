// A step of a campaign by its id, wherever it sits (branches included): delivery reads a
// send-alert step's content from the version a run started on.
import type { SendAlertStep, Step } from '../../contracts/campaign'

export function findStep(steps: readonly Step[], id: string): Step | null {
  for (const step of steps) {
    if (step.id === id) return step
    if (step.type === 'branch') {
      const found = findStep(step.yes, id) ?? findStep(step.no, id)
      if (found) return found
    }
  }
  return null
}

export function findSendAlertStep(steps: readonly Step[], id: string): SendAlertStep | null {
  const step = findStep(steps, id)
  return step?.type === 'send-alert' ? step : null
}
