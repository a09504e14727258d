// Reading and saving the campaign screens' forms, whatever they hold: a posted form as a tree
// of its dotted names (`steps.2.yes.0.userIds` → the node `steps` → `2` → …), the conversion of
// typed text to numbers that names each one that is not, and the end of every Save (the
// contract's schema, then the service, each refusal with its field path).
import * as v from 'valibot'
import type { Checked } from '../../campaigns/checked'
import { fieldErrors, type FieldError } from '../../field-errors'

/** A trigger, condition or step's own fields as typed, by name; `type` among them. */
export type Fields = Record<string, string>

const MAX_ITEMS = 60

/** One segment of a posted name: its values, and the names under it. */
export class FormNode {
  readonly values: string[] = []
  readonly kids = new Map<string, FormNode>()

  static of(form: FormData): FormNode {
    const root = new FormNode()
    for (const [name, value] of form.entries()) {
      if (typeof value !== 'string') continue
      let node: FormNode = root
      for (const part of name.split('.')) {
        let kid = node.kids.get(part)
        if (!kid) {
          kid = new FormNode()
          node.kids.set(part, kid)
        }
        node = kid
      }
      node.values.push(value)
    }
    return root
  }

  text(key: string): string {
    return this.kids.get(key)?.values[0] ?? ''
  }

  all(key: string): string[] {
    return this.kids.get(key)?.values ?? []
  }

  /** The numbered children of `key` in their number's order (gaps closed). */
  items(key: string): FormNode[] {
    const under = this.kids.get(key)
    if (!under) return []
    return [...under.kids]
      .filter(([k]) => /^\d{1,3}$/.test(k))
      .sort(([a], [b]) => Number(a) - Number(b))
      .slice(0, MAX_ITEMS)
      .map(([, node]) => node)
  }

  /** The single-valued children as fields (nested ones left out). */
  own(): Fields {
    const out: Fields = {}
    for (const [k, node] of this.kids) if (node.values[0] !== undefined) out[k] = node.values[0]
    return out
  }

  /** Every value below, single-valued, by its dotted path from here (a trigger's `pages.1.pattern`). */
  flat(prefix = ''): Fields {
    const out: Fields = {}
    for (const [k, node] of this.kids) {
      if (node.values[0] !== undefined) out[`${prefix}${k}`] = node.values[0]
      if (node.kids.size > 0 && prefix.split('.').length < 4) Object.assign(out, node.flat(`${prefix}${k}.`))
    }
    return out
  }

  fields(key: string): Fields {
    return this.kids.get(key)?.own() ?? {}
  }
}

/** Collects the numbers that are not numbers, by path, before the contract sees the input. */
export class Conversion {
  readonly errors: FieldError[] = []

  int(value: string | undefined, path: string, required = true): number | undefined {
    const text = (value ?? '').trim()
    if (text === '') {
      if (required) this.errors.push({ field: path, reason: 'a number is required' })
      return required ? 0 : undefined
    }
    if (!/^-?\d{1,9}$/.test(text)) {
      this.errors.push({ field: path, reason: 'a whole number, like 50' })
      return 0
    }
    return Number(text)
  }
}

/** What the contract reads; unknown types pass through so valibot names them. */
export type Loose = Record<string, unknown>

/**
 * The end of every Save of these forms: the converted draft parsed by the contract's `schema`,
 * then handed to the service's `save`; the refusals (numbers that were not numbers, the
 * contract's, the service's) to `refused` with their status, the saved row to `done`. Null from
 * `save` (the thing went away meanwhile) is `gone`.
 */
export async function saveDraft<T, R>(o: {
  schema: v.GenericSchema<unknown, T>
  converted: { input: Loose; errors: FieldError[] }
  save: (definition: T) => Promise<Checked<R> | null>
  refused: (errors: FieldError[], status: 400 | 409 | 422) => Response | Promise<Response>
  done: (saved: R) => Response
  gone: () => Error
}): Promise<Response> {
  const parsed = v.safeParse(o.schema, o.converted.input)
  const errors = [...o.converted.errors, ...(parsed.success ? [] : fieldErrors(parsed.issues))]
  if (!parsed.success || errors.length > 0) return o.refused(errors, 400)
  const saved = await o.save(parsed.output)
  if (!saved) throw o.gone()
  if (!saved.ok) return o.refused(saved.errors, saved.status)
  return o.done(saved.value)
}
