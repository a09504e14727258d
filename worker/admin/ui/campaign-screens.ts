// The campaigns screens other than the builder: the list (trigger in words, ON/OFF, runs), one
// campaign with what it does in words and its report (runs started and finished, contacts
// reached per step of the current version, every version), and the activation page that shows
// the summary before switching ON. Also the tabs shared with smart lists and scoring rules.
import { html } from 'hono/html'
import type { HeldFigures } from '../../campaigns/campaign-report'
import type { CampaignSummary } from '../../campaigns/campaign-summary'
import { stepsSaid } from '../../campaigns/campaign-words'
import type { StoredCampaign } from '../../db/queries/campaigns'
import type { FieldError } from '../../field-errors'
import { notice, when } from './layout'

/** Fixed notices of these screens, chosen by key (never text from the query string). */
const NOTICES: Record<string, string> = {
  'campaign-created': 'Campaign saved, OFF. Read what it will do below, then switch it ON.',
  'campaign-saved': 'Saved as a new version. Contacts already inside finish on the version they started; new runs use this one.',
  'campaign-on': 'Campaign switched ON: new runs start from now.',
  'campaign-off': 'Campaign switched OFF: no new runs; runs inside stop at their next step.',
  'campaign-deleted': 'Campaign deleted.',
  'campaign-run':
    'Handed to the contact: the run starts in a moment, its run limit and frequency applying. See it on the contact’s timeline.',
  'list-created': 'Smart list created. Contacts join it as their events and changes arrive.',
  'list-saved': 'Smart list saved. Memberships are recomputed as contacts next act.',
  'list-deleted': 'Smart list deleted.',
  'rule-created': 'Scoring rule created. It scores from each contact’s next event.',
  'rule-saved': 'Scoring rule saved.',
  'rule-deleted': 'Scoring rule deleted.',
}

export const campaignNotice = (key: string | undefined) => {
  const text = key ? NOTICES[key] : undefined
  return text ? html`<p class="notice" role="status">${text}</p>` : notice(key)
}

type Tab = 'campaigns' | 'lists' | 'scoring'

/** Campaigns, smart lists and scoring rules: one menu entry, three tabs. */
export const campaignTabs = (current: Tab) => {
  const tab = (key: Tab, href: string, label: string) =>
    html`<a href="${href}" ${key === current ? html` aria-current="page"` : ''}>${label}</a>`
  return html`<nav class="tabs" aria-label="Campaigns">
    ${tab('campaigns', '/admin/campaigns', 'Campaigns')} ${tab('lists', '/admin/lists', 'Smart lists')}
    ${tab('scoring', '/admin/scoring-rules', 'Scoring rules')}
  </nav>`
}

const statePill = (active: boolean) => html`<span class="pill ${active ? 'on' : 'off'}">${active ? 'ON' : 'OFF'}</span>`

/** `isAlert`: a page alert, whose sends are counted on the alert's page, not as runs. */
export type CampaignListRow = { stored: StoredCampaign; triggers: string[]; started: number; finished: number; isAlert: boolean }

export function campaignsScreen(o: { rows: CampaignListRow[]; canEdit: boolean; notice?: string }) {
  return html`${campaignNotice(o.notice)} ${campaignTabs('campaigns')}
    <div class="bar">
      <h1>Campaigns</h1>
      ${o.canEdit ? html`<a class="btn" href="/admin/campaigns/new">+ New campaign</a>` : ''}
    </div>
    ${
      o.rows.length === 0
        ? html`<div class="card">
            <p>
              No campaign yet. A campaign starts when something happens to a contact (a form, a page, a tag, a score…) and runs its steps:
              assign an owner, wait, check a condition, send an alert, call a webhook.
            </p>
            ${o.canEdit ? html`<a class="btn" href="/admin/campaigns/new">Create your first campaign</a>` : ''}
          </div>`
        : html`<table class="campaigns stack">
            <thead>
              <tr>
                <th>Name</th>
                <th>Category</th>
                <th>Starts when</th>
                <th>ON/OFF</th>
                <th class="num">Runs started</th>
                <th class="num">Finished</th>
              </tr>
            </thead>
            <tbody>
              ${o.rows.map(
                ({ stored: { campaign: c }, triggers, started, finished, isAlert }) =>
                  html`<tr>
                    <td><a href="/admin/campaigns/${c.id}">${c.name}</a></td>
                    <td data-label="Category">${c.category || html`<span class="muted">—</span>`}</td>
                    <td data-label="Starts when">${triggers.map((t, i) => html`${i ? html`<br />` : ''}${t}`)}</td>
                    <td data-label="ON/OFF">${statePill(c.active)}</td>
                    ${
                      isAlert
                        ? html`<td class="num" data-label="Runs" colspan="2">
                            <a href="/admin/alerts/${c.id}">sends on the alert's page</a>
                          </td>`
                        : html`<td class="num" data-label="Runs started">${started}</td>
                            <td class="num" data-label="Finished">${finished}</td>`
                    }
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <p class="muted">Runs are counted as contacts' objects report them (within a minute).</p>`
}

// Indentation by class: the Content-Security-Policy refuses style attributes.
const depthClass = (depth: number) => `depth-${Math.min(5, Math.floor(depth))}`

/** The summary in words: the sentence, then the same as a list with the branches indented. */
export function summaryBlock(summary: CampaignSummary, sentence: string) {
  const line = (text: string) => {
    const depth = text.length - text.trimStart().length
    return html`<li class="${depthClass(depth / 2)}${/:$/.test(text.trim()) ? ' branch-line' : ''}">${text.trim()}</li>`
  }
  return html`<div class="campaign-summary">
    <p class="sentence" data-summary="sentence">${sentence}</p>
    <dl>
      <dt>Starts</dt>
      <dd>${summary.triggers.join('; or ')}</dd>
      ${
        summary.conditions.length
          ? html`<dt>Only if</dt>
              <dd>${summary.conditions.join(' and ')}</dd>`
          : ''
      }
      <dt>Steps</dt>
      <dd>
        <ol class="summary-steps">
          ${stepsSaid(summary.steps).map(line)}
        </ol>
      </dd>
      <dt>Who gets what</dt>
      <dd>
        ${summary.recipients.length ? summary.recipients.map((r, i) => html`${i ? html`<br />` : ''}${r}`) : 'nobody outside Pagebell'}
      </dd>
      <dt>How often</dt>
      <dd>${summary.runLimit}</dd>
    </dl>
  </div>`
}

/** A step of the report; a `heading` row is a branch's "then:" / "otherwise:" and has no counts. */
export type StepReportRow = { depth: number; words: string; reached: number; contacts: number; heading?: boolean }
export type VersionReportRow = { version: number; savedBy: string; savedAt: number; started: number; finished: number; held: HeldFigures }

/** The campaign's "run by hand" trigger, for one contact named by e-mail. */
const runForm = (id: string, run: { email: string; error?: string }) =>
  html`<section class="card" aria-labelledby="run-title">
    <h2 id="run-title">Run for one contact</h2>
    <form method="post" action="/admin/campaigns/${id}/run" class="tester-row">
      <label for="run-email" class="visually-hidden">The contact's e-mail</label>
      <input
        type="email"
        id="run-email"
        name="email"
        value="${run.email}"
        placeholder="the contact's e-mail"
        ${run.error ? html` class="field-invalid" aria-invalid="true" aria-describedby="run-email-error" autofocus` : ''}
      />
      <button>Run</button>
    </form>
    ${run.error ? html`<p class="error" id="run-email-error" role="alert">${run.error}</p>` : ''}
  </section>`

export function campaignScreen(o: {
  stored: StoredCampaign
  summary: CampaignSummary
  sentence: string
  started: number
  finished: number
  /** Runs triggered with their conditions met that the run limit or the frequency held back. */
  held: HeldFigures
  steps: StepReportRow[]
  versions: VersionReportRow[]
  canEdit: boolean
  notice?: string
  /** "Run for one contact": the e-mail typed and why it was refused. */
  run: { email: string; error?: string }
  /** Set when the campaign is a page alert: it runs as one, and its figures are the alert's. */
  alert?: { page: string; edit: string }
}) {
  const c = o.stored.campaign
  return html`${campaignNotice(o.notice)} ${campaignTabs('campaigns')}
    <div class="bar">
      <h1>${c.name} ${statePill(c.active)}</h1>
      <a href="/admin/campaigns">All campaigns</a>
    </div>
    ${
      o.canEdit
        ? html`<div class="actions card">
            <a class="btn secondary" href="/admin/campaigns/${c.id}/edit">Edit</a>
            ${
              c.active
                ? html`<form method="post" action="/admin/campaigns/${c.id}/deactivate" class="plain">
                    <button class="secondary">Switch OFF</button>
                  </form>`
                : html`<a class="btn" href="/admin/campaigns/${c.id}/activate">Review and switch ON</a>`
            }
            <form method="post" action="/admin/campaigns/${c.id}/delete" class="plain">
              <button class="danger" data-confirm="Delete the campaign ${c.name}? Runs inside stop at their next step.">Delete</button>
            </form>
          </div>`
        : ''
    }
    ${o.canEdit && c.active && o.stored.definition.triggers.some((t) => t.type === 'manual') ? runForm(c.id, o.run) : ''}
    <section class="card" aria-labelledby="what-title">
      <h2 id="what-title">What it does</h2>
      <p class="muted">Version ${c.currentVersion}${c.category ? html` · ${c.category}` : ''}</p>
      ${summaryBlock(o.summary, o.sentence)}
    </section>
    ${o.alert ? alertNote(o.alert) : reportSection(o)} ${versionsSection(o, c.currentVersion, o.alert !== undefined)}`
}

/** A page alert's campaign page points to the alert's own, where its sends are counted. */
const alertNote = (alert: { page: string; edit: string }) =>
  html`<section class="card" aria-labelledby="alert-title">
    <h2 id="alert-title">This campaign is an alert</h2>
    <p>
      It runs as a page alert: its e-mails, the visits its frequency held back and the digests are counted on
      <a href="${alert.page}">the alert's page</a>, and <a href="${alert.edit}">the alert wizard</a> changes it. Given more steps or a
      condition here, it becomes an ordinary campaign and leaves the alerts list.
    </p>
  </section>`

function reportSection(o: { stored: StoredCampaign; started: number; finished: number; held: HeldFigures; steps: StepReportRow[] }) {
  const c = o.stored.campaign
  return html`<section class="card" aria-labelledby="report-title">
    <h2 id="report-title">Report</h2>
    <dl class="figures">
      <div>
        <dt>Runs started</dt>
        <dd data-figure="started">${o.started}</dd>
      </div>
      <div>
        <dt>Runs finished</dt>
        <dd data-figure="finished">${o.finished}</dd>
      </div>
      <div>
        <dt>Inside now</dt>
        <dd data-figure="inside">${Math.max(0, o.started - o.finished)}</dd>
      </div>
      <div>
        <dt>Held back by the run limit</dt>
        <dd data-figure="held-run-limit">${o.held.runLimit}</dd>
      </div>
      <div>
        <dt>Held back by the frequency</dt>
        <dd data-figure="held-frequency">${o.held.frequency}</dd>
      </div>
    </dl>
    <table class="numbers step-counts">
      <caption>
        Version ${c.currentVersion}: how many times runs reached each step (and how many contacts)
      </caption>
      <thead>
        <tr>
          <th>Step</th>
          <th class="num">Reached</th>
          <th class="num">Contacts</th>
        </tr>
      </thead>
      <tbody>
        ${o.steps.map(
          (s) =>
            html`<tr>
              <th scope="row" class="step-words ${depthClass(s.depth)}">${s.words}</th>
              <td class="num">${s.heading ? '' : s.reached}</td>
              <td class="num">${s.heading ? '' : s.contacts}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p class="muted">
      Counts arrive from the contacts' objects within a minute. A run held back by the run limit or the frequency (triggered, its conditions
      met) never starts: it is counted above as held back, not in the steps.
    </p>
  </section>`
}

/** Every version with who saved it and when; a campaign's with its runs (an alert's sends are on its own page). */
function versionsSection(o: { versions: VersionReportRow[] }, currentVersion: number, isAlert: boolean) {
  return html`<section class="card" aria-labelledby="versions-title">
    <h2 id="versions-title">Versions</h2>
    <p class="muted">
      ${
        isAlert
          ? 'Each change of what the alert does is a new version.'
          : 'Each save is a new version. Contacts inside a run finish it on the version they started; new runs use the current one. Held back: runs its run limit or frequency did not start (split by reason in the report above, for all versions).'
      }
    </p>
    <table class="numbers">
      <thead>
        <tr>
          <th>Version</th>
          <th>Saved</th>
          ${
            isAlert
              ? ''
              : html`<th class="num">Runs started</th>
                  <th class="num">Finished</th>
                  <th class="num">Held back</th>`
          }
        </tr>
      </thead>
      <tbody>
        ${o.versions.map(
          (v) =>
            html`<tr>
              <th scope="row">${v.version}${v.version === currentVersion ? ' (current)' : ''}</th>
              <td>${v.savedBy}<br /><span class="muted">${when(v.savedAt)}</span></td>
              ${
                isAlert
                  ? ''
                  : html`<td class="num">${v.started}</td>
                      <td class="num">${v.finished}</td>
                      <td class="num" title="run limit ${v.held.runLimit}, frequency ${v.held.frequency}">
                        ${v.held.runLimit + v.held.frequency}
                      </td>`
              }
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`
}

export function activationScreen(o: { stored: StoredCampaign; summary: CampaignSummary; sentence: string; errors: FieldError[] }) {
  const c = o.stored.campaign
  return html`${campaignTabs('campaigns')}
    <div class="bar">
      <h1>Switch ON “${c.name}”?</h1>
      <a href="/admin/campaigns/${c.id}">Cancel</a>
    </div>
    ${
      o.errors.length
        ? html`<div class="problem" role="alert">
            <p>It cannot be switched ON as it stands:</p>
            <ul>
              ${o.errors.map((e) => html`<li><code>${e.field}</code>: ${e.reason}</li>`)}
            </ul>
            <p><a href="/admin/campaigns/${c.id}/edit">Edit the campaign</a></p>
          </div>`
        : ''
    }
    <section class="card" aria-labelledby="summary-title">
      <h2 id="summary-title">Once ON, this happens</h2>
      ${summaryBlock(o.summary, o.sentence)}
      <form method="post" action="/admin/campaigns/${c.id}/activate" class="actions">
        <button>Switch ON</button>
        <span class="muted">From now on; contacts are not run for what happened before.</span>
      </form>
    </section>`
}

/**
 * The page of a smart-list or scoring-rule form: tabs, heading, the refusal box (with the
 * refusals no field showed), the form around `fields` (computed first, so they claimed theirs)
 * and, for an existing one, its delete form.
 */
export function simpleFormPage(o: {
  tab: Tab
  heading: string
  cancel: string
  action: string
  /** "list", "rule": in "The list was not saved", "Save list", "Delete list". */
  noun: string
  fields: unknown
  errors: readonly FieldError[]
  unclaimed: readonly FieldError[]
  remove?: string
  formClass?: string
}) {
  return html`${campaignTabs(o.tab)}
    <div class="bar">
      <h1>${o.heading}</h1>
      <a href="${o.cancel}">Cancel</a>
    </div>
    ${
      o.errors.length
        ? html`<div class="problem" role="alert">
            <p>The ${o.noun} was not saved: see the fields marked in red.</p>
            ${
              o.unclaimed.length
                ? html`<ul>
                    ${o.unclaimed.map((e) => html`<li>${e.reason}</li>`)}
                  </ul>`
                : ''
            }
          </div>`
        : ''
    }
    <form method="post" action="${o.action}" class="builder card ${o.formClass ?? ''}" novalidate>
      <button class="default-submit" name="action" value="save" tabindex="-1" aria-hidden="true">Save</button>
      ${o.fields}
      <div class="actions"><button name="action" value="save">Save ${o.noun}</button></div>
    </form>
    ${
      o.remove
        ? html`<form method="post" action="${o.remove}" class="card">
            <button class="danger" data-confirm="Delete this ${o.noun}?">Delete ${o.noun}</button>
          </form>`
        : ''
    }`
}
