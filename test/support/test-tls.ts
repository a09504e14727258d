// The self-signed certificate of the SMTP test servers (tls/, made for these tests only: CN
// localhost, IP 127.0.0.1, valid to 2126), which the Workers-pool configuration tells workerd
// to trust, so STARTTLS and implicit TLS are tested for real.
import { readFileSync } from 'node:fs'

export const TEST_TLS_CERT = readFileSync(new URL('./tls/test-cert.pem', import.meta.url), 'utf8')
export const TEST_TLS_KEY = readFileSync(new URL('./tls/test-key.pem', import.meta.url), 'utf8')
