// Starts the real SMTP sink for the Workers-pool tests on the ports the config chose.
import { startMailSink } from '../../scripts/mail-sink'

export default async function setup() {
  const sink = await startMailSink({
    smtpPort: Number(process.env.PB_SINK_SMTP_PORT),
    httpPort: Number(process.env.PB_SINK_HTTP_PORT),
  })
  return () => sink.close()
}
