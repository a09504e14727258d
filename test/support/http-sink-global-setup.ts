// Starts the real HTTP receiver (webhook, chat, e-mail API) for the Workers-pool tests.
import { startHttpSink } from './http-sink'

export default async function setup() {
  const sink = await startHttpSink({ port: Number(process.env.PB_HTTP_SINK_PORT) })
  return () => sink.close()
}
