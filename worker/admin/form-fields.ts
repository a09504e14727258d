// Reading posted admin forms: a field as text (a missing field or a file is empty text), and the
// `next`/`back` targets, which may only lead inside the admin UI.
export const formText = (form: FormData, name: string) => {
  const value = form.get(name)
  return typeof value === 'string' ? value : ''
}

/** Only a path inside the admin UI, so a crafted `next` cannot send anyone elsewhere. */
export const safeNext = (next: string) => (/^\/admin(\/[\w\-/]*)?(\?[\w=&%-]*)?$/.test(next) ? next : '/admin/alerts')
