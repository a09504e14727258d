// A message as the local SMTP sink received and parsed it (shared by Node and Workers tests).
export type ReceivedMail = {
  id: number
  receivedAt: number
  envelopeFrom: string
  envelopeTo: string[]
  from: string
  to: string[]
  cc: string[]
  subject: string
  text: string
  html: string
  headers: Record<string, string>
  attachments: Array<{ filename: string; contentType: string; content: string }>
}
