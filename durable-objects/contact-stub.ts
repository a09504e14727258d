// The only way to reach a contact's or an anonymous visitor's Durable Object.
export const contactStub = (env: Env, contactId: string) =>
  env.CONTACTS.get(env.CONTACTS.idFromName(`contact:${contactId}`))

export const visitorStub = (env: Env, siteId: string, visitorId: string) =>
  env.VISITORS.get(env.VISITORS.idFromName(`visitor:${siteId}:${visitorId}`))
