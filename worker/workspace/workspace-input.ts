// The checks a workspace's settings and the first-run setup pass, for the REST API, the admin
// forms and `npm run setup` alike, and the schemas the OpenAPI document is generated from.
// Time zones are checked with the runtime's own Intl, the same one the calendar helper uses to
// count days, so a zone accepted here is a zone the limits and analytics understand.
import * as v from 'valibot'
import { fieldErrors, type FieldError } from '../field-errors'

export const LIMITS = { workspaceName: 120, senderName: 80, userName: 120, passwordMin: 10, passwordMax: 200, email: 254 } as const

const NO_CONTROL = /^\P{Cc}*$/u

/** An IANA name (`Europe/Paris`, `UTC`, `Etc/GMT+1`); offsets such as `+01:00` are not zones. */
const ZONE_SHAPE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/

/** The runtime's canonical spelling of a time zone (`europe/paris` → `Europe/Paris`), or null. */
export function canonicalTimeZone(name: string): string | null {
  if (!ZONE_SHAPE.test(name)) return null
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
  } catch {
    return null
  }
}

/** Every zone the runtime lists, with UTC first: the time zone picker's choices. */
export function timeZoneChoices(): string[] {
  return ['UTC', ...Intl.supportedValuesOf('timeZone').filter((z) => z !== 'UTC')]
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const

const WorkspaceName = v.pipe(
  v.string('the name must be text'),
  v.trim(),
  v.minLength(1, 'give the workspace a name'),
  v.maxLength(LIMITS.workspaceName, `the name is at most ${LIMITS.workspaceName} characters`),
  v.regex(NO_CONTROL, 'the name cannot contain control characters (line breaks, tabs)'),
)

const TimeZone = v.pipe(
  v.string('the time zone is text, such as Europe/Paris'),
  v.trim(),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const zone = canonicalTimeZone(dataset.value)
    if (zone) return zone
    addIssue({ message: `"${dataset.value}" is not a time zone: choose an IANA name such as Europe/Paris or America/New_York` })
    return NEVER
  }),
  v.description(
    'An IANA time zone name; stored as the runtime spells it (europe/paris → Europe/Paris). Days, weeks and months are counted in it.',
  ),
  v.metadata({ example: 'Europe/Paris' }),
)

const WeekStart = v.pipe(
  v.number('the first day of the week is a number, 1 (Monday) to 7 (Sunday)'),
  v.integer('the first day of the week is a whole number, 1 (Monday) to 7 (Sunday)'),
  v.minValue(1, 'the first day of the week is 1 (Monday) to 7 (Sunday)'),
  v.maxValue(7, 'the first day of the week is 1 (Monday) to 7 (Sunday)'),
  v.description('ISO weekday the week starts on: 1 = Monday … 7 = Sunday ("once a week" limits count from it).'),
)

// It goes into the From line of every alert: no quotes, angle brackets or @ that could make it
// read as another address.
const SenderName = v.pipe(
  v.string('the sender name is text'),
  v.trim(),
  v.maxLength(LIMITS.senderName, `the sender name is at most ${LIMITS.senderName} characters`),
  v.regex(
    /^[\p{L}\p{M}\p{N} .,'&()!?+_/-]*$/u,
    "use letters, digits, spaces and . , ' & ( ) ! ? + - _ / only: the name goes into the From line of alert e-mails",
  ),
  v.description('Display name in the From of alert e-mails ("Acme Sales <alerts@…>"); empty = the name in MAIL_FROM.'),
)

const HonorPrivacySignals = v.pipe(
  v.boolean('honorPrivacySignals is true or false'),
  v.description(
    'Every site drops events from browsers that send Global Privacy Control or Do-Not-Track (a site can also ask for it on its own).',
  ),
)

/** Every setting an admin changes. */
export const WORKSPACE_FIELDS = {
  name: WorkspaceName,
  timeZone: TimeZone,
  weekStartsOn: WeekStart,
  senderName: SenderName,
  honorPrivacySignals: HonorPrivacySignals,
}

export const WorkspacePatchBody = v.pipe(
  v.partial(v.strictObject(WORKSPACE_FIELDS, 'the body must be a JSON object')),
  v.metadata({ ref: 'WorkspacePatch' }),
)

export type WorkspacePatch = v.InferOutput<typeof WorkspacePatchBody>

export const UserEmail = v.pipe(
  v.string('the e-mail is text'),
  v.trim(),
  v.toLowerCase(),
  v.maxLength(LIMITS.email, `the e-mail is at most ${LIMITS.email} characters`),
  v.email('not an e-mail address'),
)

export const UserName = v.pipe(
  v.string('the name is text'),
  v.trim(),
  v.maxLength(LIMITS.userName, `the name is at most ${LIMITS.userName} characters`),
  v.regex(NO_CONTROL, 'the name cannot contain control characters (line breaks, tabs)'),
)

export const NewPassword = v.pipe(
  v.string('the password is text'),
  v.minLength(LIMITS.passwordMin, `use at least ${LIMITS.passwordMin} characters`),
  v.maxLength(LIMITS.passwordMax, `use at most ${LIMITS.passwordMax} characters`),
)

/** The first-run setup: the workspace and its first admin. */
export const SetupBody = v.strictObject(
  {
    workspace: WorkspaceName,
    timeZone: v.optional(TimeZone, 'UTC'),
    name: v.optional(UserName, ''),
    email: UserEmail,
    password: NewPassword,
  },
  'the setup is {workspace, timeZone?, name?, email, password}',
)

export type SetupInput = v.InferOutput<typeof SetupBody>

export type Checked<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

/** The whole check of an untrusted setup (the form's fields, or the CLI's flags). */
export function checkSetup(input: unknown): Checked<SetupInput> {
  const parsed = v.safeParse(SetupBody, input)
  return parsed.success ? { ok: true, value: parsed.output } : { ok: false, errors: fieldErrors(parsed.issues) }
}

/** The whole check of an untrusted change of settings (the settings form). */
export function checkWorkspacePatch(input: unknown): Checked<WorkspacePatch> {
  const parsed = v.safeParse(WorkspacePatchBody, input)
  return parsed.success ? { ok: true, value: parsed.output } : { ok: false, errors: fieldErrors(parsed.issues) }
}
