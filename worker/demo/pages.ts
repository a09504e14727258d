// The demo site `npm start` serves: a small product site with the Pagebell snippet pasted in,
// a pricing section the demo alert watches, and a contact form that identifies the visitor.
import { DEMO_SITE_KEY } from './demo-data'

const nav = [
  ['/demo', 'Home'],
  ['/demo/pricing', 'Pricing'],
  ['/demo/pricing/plans', 'Plans'],
  ['/demo/contact', 'Contact'],
] as const

export function layout(path: string, title: string, body: string): string {
  const links = nav.map(([href, label]) => `<a href="${href}"${href === path ? ' aria-current="page"' : ''}>${label}</a>`).join('')
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · Acme Analytics (Pagebell demo)</title>
<script async src="/pb.js" data-site="${DEMO_SITE_KEY}"></script>
<style>
body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#1d2330;background:#f6f7fb}
header{background:#1d2330;color:#fff;padding:14px 32px;display:flex;gap:28px;align-items:center}
header strong{font-size:18px}header a{color:#c9d1e6;text-decoration:none}header a[aria-current]{color:#fff;border-bottom:2px solid #6ea8fe}
main{max-width:860px;margin:32px auto;padding:0 24px}.cards{display:grid;grid-template-columns:repeat(3,1fr);gap:16px}
.card{background:#fff;border:1px solid #e2e5ee;border-radius:10px;padding:18px}.price{font-size:28px;font-weight:700}
form{background:#fff;border:1px solid #e2e5ee;border-radius:10px;padding:20px;display:grid;gap:12px;max-width:420px}
label{display:grid;gap:4px;font-size:14px}input,textarea{font:inherit;padding:8px;border:1px solid #c5cad6;border-radius:6px}
button{font:inherit;padding:10px;border:0;border-radius:6px;background:#2f6fed;color:#fff;cursor:pointer}
.note{font-size:14px;color:#5a6275;background:#eef2fb;border-radius:8px;padding:10px 14px}
</style></head><body><header><strong>Acme Analytics</strong>${links}</header><main>${body}</main></body></html>`
}

export const demoPages: Record<string, { title: string; body: string }> = {
  '/demo': {
    title: 'Home',
    body: `<h1>Dashboards your sales team will read</h1>
<p>This is a demo site with the Pagebell snippet installed. Every page you open here is recorded with the time it stays visible.</p>
<p class="note">Try it: <a href="/demo/contact">leave your e-mail</a>, then read the <a href="/demo/pricing/plans">plans</a> for more than 10 seconds.
The "Pricing interest" alert then e-mails the contact's owner (see the mail sink).</p>`,
  },
  '/demo/pricing': {
    title: 'Pricing',
    body: `<h1>Pricing</h1><p>Simple plans for every team size. <a href="/demo/pricing/plans">Compare the plans</a>.</p>`,
  },
  '/demo/pricing/plans': {
    title: 'Plans',
    body: `<h1>Plans</h1><div class="cards">
<div class="card"><h3>Starter</h3><div class="price">€19</div><p>3 dashboards, 1 seat.</p></div>
<div class="card"><h3>Team</h3><div class="price">€79</div><p>Unlimited dashboards, 10 seats.</p></div>
<div class="card"><h3>Enterprise</h3><div class="price">Talk to us</div><p>SSO, audit log, dedicated support.</p></div></div>`,
  },
  '/demo/contact': {
    title: 'Contact',
    body: `<h1>Talk to sales</h1>
<form id="contact-form" name="contact" action="/demo/thanks" method="post">
<label>Name <input name="name" autocomplete="name"></label>
<label>Company <input name="company" autocomplete="organization"></label>
<label>E-mail <input name="email" type="email" autocomplete="email" required></label>
<label>Message <textarea name="message" rows="3"></textarea></label>
<button type="submit">Send</button></form>`,
  },
  '/demo/thanks': {
    title: 'Thank you',
    body: `<h1>Thank you</h1><p>We will be in touch. Meanwhile, have a look at our <a href="/demo/pricing/plans">plans</a>.</p>`,
  },
}
