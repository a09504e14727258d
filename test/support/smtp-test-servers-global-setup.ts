// Starts the SMTP client's test servers (smtp-test-servers.ts) for the Workers-pool tests and
// hands their ports to them (`inject('smtpTestServers')`).
import type { TestProject } from 'vitest/node'
import { startSmtpTestServers } from './smtp-test-servers'
import './smtp-test-servers-context'

export default async function setup(project: TestProject) {
  const started = await startSmtpTestServers()
  project.provide('smtpTestServers', started.servers)
  return () => started.close()
}
