// The admin UI's stylesheet and its one small script, served from /admin/assets/.
export const ADMIN_CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#f5f6f8}
a{color:#2450c8}
.top{display:flex;align-items:center;gap:24px;padding:10px 24px;background:#1d2330;color:#fff}
.top a{color:#dfe5f5;text-decoration:none}
.top .brand{font-weight:700;color:#fff;display:inline-flex;align-items:center;gap:8px}
.top .mark{width:14px;height:14px;border-radius:50% 50% 3px 3px;background:#f5b400}
.nowrap{white-space:nowrap}
.top nav{display:flex;gap:16px;flex:1}
.top nav a[aria-current]{color:#fff;border-bottom:2px solid #7aa2ff}
.top .who{display:flex;gap:10px;align-items:center;font-size:13px;color:#b9c1d6;margin:0}
main{max-width:1040px;margin:24px auto;padding:0 24px}
h1{font-size:24px;margin:0 0 16px}
h2{font-size:18px;margin:0 0 8px}
.bar{display:flex;align-items:center;justify-content:space-between;gap:16px;margin-bottom:16px}
.card{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:18px 20px;margin-bottom:16px}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #dde1e8;border-radius:8px;overflow:hidden}
th,td{text-align:left;padding:9px 12px;border-bottom:1px solid #edf0f4;vertical-align:top}
th{background:#f0f2f6;font-size:13px;color:#4a5368;font-weight:600}
td.num,th.num{text-align:right}
code{font:13px ui-monospace,SFMono-Regular,Menlo,monospace;background:#eef1f6;padding:1px 5px;border-radius:4px}
.muted{color:#667089;font-size:13px}
.btn,button{font:inherit;cursor:pointer;border-radius:6px;border:1px solid #2450c8;background:#2450c8;color:#fff;padding:7px 14px;text-decoration:none;display:inline-block}
.btn.secondary,button.secondary{background:#fff;color:#2450c8}
button.danger{background:#fff;color:#b3261e;border-color:#b3261e}
button.link{background:none;border:none;color:inherit;padding:0;text-decoration:underline}
label{display:block;font-weight:600;margin:10px 0 4px}
label.inline{display:flex;gap:8px;align-items:center;font-weight:normal;margin:6px 0}
input[type=text],input[type=email],input[type=password],input[type=number],select,textarea{font:inherit;padding:7px 9px;border:1px solid #b9c1d1;border-radius:6px;background:#fff;width:100%}
input[type=number]{width:110px}
textarea{min-height:80px}
textarea.code{font:13px ui-monospace,monospace;min-height:120px}
.field-invalid{border-color:#b3261e!important;background:#fff7f6!important}
.error{color:#b3261e;margin:4px 0 0;font-size:14px}
.notice{background:#e7f5ea;border:1px solid #9ed3a8;color:#1d5d2b;padding:8px 12px;border-radius:6px}
.problem{background:#fdecea;border:1px solid #f1aaa4;color:#8c1d18;padding:8px 12px;border-radius:6px}
.step{display:flex;gap:16px}
.step .letter{flex:none;width:34px;height:34px;border-radius:50%;background:#2450c8;color:#fff;font-weight:700;display:flex;align-items:center;justify-content:center}
.step .body{flex:1;min-width:0}
.rows .row{display:grid;grid-template-columns:1fr 210px auto;gap:10px;align-items:start;margin-bottom:8px}
.rows .row .head{font-size:13px;color:#4a5368;font-weight:600}
.help{font-size:13px;color:#4a5368;background:#f5f7fb;border-radius:6px;padding:8px 12px;margin-top:8px}
.help ul{margin:4px 0;padding-left:18px}
.freq{display:flex;flex-wrap:wrap;gap:4px 18px;align-items:center}
.freq .custom{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.freq .custom select{width:auto}
.summary dl{display:grid;grid-template-columns:160px 1fr;gap:4px 12px;margin:0 0 12px}
.summary dt{color:#4a5368}
.summary dd{margin:0}
.switch{display:inline-flex;align-items:center;gap:10px;font-weight:600;cursor:pointer}
.switch input{appearance:none;width:46px;height:26px;border-radius:13px;background:#b9c1d1;position:relative;cursor:pointer;margin:0;transition:background .15s}
.switch input::after{content:"";position:absolute;top:3px;left:3px;width:20px;height:20px;border-radius:50%;background:#fff;transition:left .15s}
.switch input:checked{background:#1f8a3b}
.switch input:checked::after{left:23px}
.pill{display:inline-block;border-radius:10px;padding:1px 9px;font-size:12px;font-weight:700}
.pill.on,.pill.sent{background:#d9f2df;color:#1d5d2b}
.pill.off{background:#e5e7ec;color:#4a5368}
.pill.failed{background:#fdecea;color:#8c1d18}
.pill.digested,.pill.pending,.pill.sending,.pill.unknown{background:#fff3d6;color:#7a5200}
form.plain{margin:0}
.tester{margin-top:14px;padding:10px 12px 12px;border:1px dashed #b9c1d1;border-radius:6px;background:#fafbfd}
.tester label{margin-top:0}
.tester-row{display:flex;gap:8px;align-items:center}
.tester-row input{flex:1;min-width:0}
.match-result{margin-top:8px;font-size:14px}
.match-result p{margin:0 0 6px}
.match-result code{word-break:break-all}
.match-result .verdict{padding:6px 10px;border-radius:6px;border:1px solid #dde1e8;background:#f0f2f6}
.match-result .verdict.yes{background:#e7f5ea;border-color:#9ed3a8;color:#1d5d2b}
.row-results,.match-result .notes{margin:4px 0;padding:0;list-style:none}
.row-results li{margin:6px 0}
.match-result .notes{font-size:13px;color:#4a5368}
.figures{display:flex;flex-wrap:wrap;gap:8px 32px;margin:10px 0 14px}
.figures dt{font-size:13px;color:#4a5368}
.figures dd{margin:0;font-size:26px;font-weight:700;line-height:1.2}
.chart{margin:0 0 12px;overflow-x:auto}
.chart svg{display:block;width:100%;min-width:720px;height:auto}
table.numbers caption{text-align:left;font-size:13px;color:#4a5368;padding:0 0 4px;caption-side:top}
table.numbers th,table.numbers td{padding:5px 8px;font-size:13px}
table.numbers tbody th{background:#fff;color:#1d2330}
form.narrow{max-width:460px}
.toggle{margin:0}
.toggle button{min-width:70px;padding:3px 8px;font-size:13px;font-weight:700;display:inline-flex;align-items:center;justify-content:space-between;gap:8px;border-radius:14px}
.toggle button::before{content:"";width:14px;height:14px;border-radius:50%;background:#fff;box-shadow:0 0 0 1px #0002}
.toggle button.on{flex-direction:row-reverse}
.toggle button.danger{border-radius:6px;padding:7px 14px;font-size:15px;font-weight:normal}
.toggle button.danger::before{display:none}
.toggle button.on{background:#1f8a3b;border-color:#1f8a3b}
.toggle button.off{background:#e5e7ec;border-color:#b9c1d1;color:#4a5368}
.actions{display:flex;gap:10px;align-items:center;flex-wrap:wrap}
.attempts{margin:0;padding-left:18px;font-size:13px}
.secret{font:15px ui-monospace,monospace;background:#1d2330;color:#fff;padding:10px 12px;border-radius:6px;word-break:break-all}
.login{max-width:380px;margin:60px auto 12px}
.center{text-align:center}
.default-submit{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
fieldset{border:1px solid #dde1e8;border-radius:8px;padding:4px 16px 12px;margin:0 0 16px}
legend{font-weight:700;padding:0 6px}
.hint{font-size:13px;color:#4a5368;margin:4px 0 0}
.field{margin-bottom:8px}
.settings{max-width:760px}
.login.setup{max-width:560px;margin-top:32px}
pre.code{font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,monospace;background:#1d2330;color:#f0f3fa;padding:12px 14px;border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere;margin:8px 0}
button.copy{padding:4px 12px;font-size:14px}
.install{display:flex;gap:10px;align-items:center;margin-top:16px;padding:10px 14px;border-radius:6px;border:1px solid #dde1e8;background:#f5f6f8;font-weight:600}
.install .dot{flex:none;width:12px;height:12px;border-radius:50%;background:#9aa3b5}
.install.live{background:#e7f5ea;border-color:#9ed3a8;color:#1d5d2b}
.install.live .dot{background:#1f8a3b}
.install.stale{background:#fff3d6;border-color:#ecd08a;color:#7a5200}
.install.stale .dot{background:#d99a00}
.install.waiting .dot{animation:pb-pulse 1.6s ease-in-out infinite}
@keyframes pb-pulse{50%{opacity:.25}}
details.example{border:1px solid #dde1e8;border-radius:6px;padding:6px 12px;margin:8px 0}
details.example summary{cursor:pointer;font-weight:600}
.table-scroll{overflow-x:auto;margin-bottom:16px}
.summary.wide dl{grid-template-columns:230px 1fr}
.new-secret{border:1px solid #ecd08a;background:#fffaf0;border-radius:6px;padding:4px 14px 12px;margin-bottom:12px}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #7aa2ff;outline-offset:2px}
input[type=search],input[type=date]{font:inherit;padding:7px 9px;border:1px solid #b9c1d1;border-radius:6px;background:#fff;width:100%}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
.filters{display:grid;grid-template-columns:1fr 1fr;gap:0 16px;align-items:start}
.filters .wide{grid-column:1/-1}
.filters .visited{grid-column:1/-1;display:grid;grid-template-columns:1fr auto;gap:0 16px}
.filters .actions{margin-top:8px}
.tag{display:inline-block;background:#eef1f6;border-radius:10px;padding:1px 8px;font-size:13px;margin:0 4px 4px 0}
.bulk{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:end}
.bulk .field{flex:1;min-width:220px;margin:0}
.pager{margin-bottom:16px}
.timeline{list-style:none;margin:0;padding:0}
.timeline li{display:grid;grid-template-columns:170px 1fr;gap:2px 14px;padding:10px 0;border-bottom:1px solid #edf0f4}
.timeline li:last-child{border-bottom:none}
.timeline .kind{font-weight:600}
.timeline .url{overflow-wrap:anywhere;font-size:14px;color:#4a5368}
.fields{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0 0;font-size:14px}
.fields dt{color:#4a5368}
.fields dd{margin:0;overflow-wrap:anywhere}
.profile .summary dl{grid-template-columns:110px 1fr}
.profile .summary dd{overflow-wrap:anywhere}
@media (prefers-reduced-motion:reduce){.install.waiting .dot{animation:none}}
@media (max-width:700px){
.filters,.filters .visited{grid-template-columns:1fr}
.timeline li{grid-template-columns:1fr}
.profile .summary dl{grid-template-columns:1fr}
table.contacts.stack td.num{text-align:left}
.top{flex-wrap:wrap;gap:6px 16px;padding:10px 14px}
.top nav{order:3;flex-basis:100%;flex-wrap:wrap;gap:4px 16px}
.top nav a{white-space:nowrap}
table.stack thead{display:none}
table.stack tr{display:block;border-bottom:1px solid #edf0f4;padding:6px 0}
table.stack td{display:block;border:0;padding:3px 12px}
table.stack td[data-label]::before{content:attr(data-label);display:block;font-size:12px;color:#667089;font-weight:600}
.summary.wide dl{grid-template-columns:1fr}
main{padding:0 12px;margin:16px auto}
.bar{flex-wrap:wrap}
.grid2{grid-template-columns:1fr}
.summary dl{grid-template-columns:1fr}
.summary dd{margin-bottom:8px}
.login{margin-top:24px}
}
@media (max-width:700px){
table.numbers th,table.numbers td{padding:4px 5px}
.rows .row{grid-template-columns:1fr auto;gap:6px 10px}
.rows .row>:first-child{grid-column:1/-1}
.rows .row input[type=number]{width:100%}
}
.tabs{display:flex;gap:18px;margin:0 0 14px;border-bottom:1px solid #dde1e8}
.tabs a{padding:6px 2px;text-decoration:none;color:#4a5368}
.tabs a[aria-current]{color:#1d2330;font-weight:600;border-bottom:2px solid #2450c8}
.step-list{list-style:none;margin:0 0 8px;padding:0}
.step-card{border:1px solid #dde1e8;border-left:4px solid #2450c8;border-radius:6px;padding:6px 12px 10px;margin:0 0 10px;background:#fff}
.step-card.wait,.step-card.wait-until{border-left-color:#d99a00}
.step-card.branch{border-left-color:#7a3fc8}
.step-head{display:flex;gap:6px 12px;align-items:end;justify-content:space-between;flex-wrap:wrap}
.step-head .field{margin:0;flex:1;min-width:240px}
.step-tools{display:flex;gap:6px;align-items:center;flex-wrap:wrap;margin-top:6px}
button.small,.btn.small{padding:3px 10px;font-size:13px}
.retype{display:flex;gap:8px;align-items:center}
.retype select{flex:1;min-width:0}
.inline-fields{display:flex;gap:0 12px;flex-wrap:wrap;align-items:start}
.inline-fields>.field{flex:1;min-width:160px}
.page-row{align-items:end}
.page-row>button{margin-bottom:12px}
.branch-arm{margin:8px 0 0 10px;padding:4px 0 0 14px;border-left:2px dashed #b9c1d1}
.branch-arm h4{margin:4px 0 6px;font-size:14px}
.branch-arm.yes h4{color:#1d5d2b}
.branch-arm.no h4{color:#8c1d18}
.campaign-summary+form{margin-top:14px}
.add-step{display:flex;gap:8px;align-items:center;flex-wrap:wrap;margin:4px 0 6px;padding:6px 10px;border:1px dashed #b9c1d1;border-radius:6px;background:#fafbfd}
.add-step label{margin:0;font-weight:600;font-size:14px}
.add-step select{width:auto;max-width:100%}
fieldset.choices{padding:2px 12px 8px;margin:6px 0}
fieldset.choices legend{font-weight:600;font-size:15px}
.problem ul{margin:4px 0;padding-left:20px}
.problem p{margin:0}
.campaign-summary .sentence{font-size:16px;background:#f5f7fb;border-left:4px solid #2450c8;padding:8px 12px;border-radius:4px;margin:0 0 12px}
.campaign-summary dl{display:grid;grid-template-columns:140px 1fr;gap:6px 12px;margin:0}
.campaign-summary dt{color:#4a5368}
.campaign-summary dd{margin:0}
.summary-steps{margin:0;padding:0;list-style:none}
.summary-steps li{margin:0 0 2px}
.branch-line{font-weight:600}
.depth-1{padding-left:22px!important}
.depth-2{padding-left:44px!important}
.depth-3{padding-left:66px!important}
.depth-4{padding-left:88px!important}
.depth-5{padding-left:110px!important}
table.step-counts tbody th{font-weight:normal}
@media (max-width:700px){
.campaign-summary dl{grid-template-columns:1fr}
.branch-arm{margin-left:2px;padding-left:8px}
table.campaigns.stack td.num{text-align:left}
}
`

/**
 * Live summary of the wizard (section E) and its ON/OFF label. Without script the page still
 * works: rows are added and removed by the server, and the summary is shown as last saved.
 */
export const ADMIN_JS = `
document.addEventListener('click', (e) => {
  const button = e.target instanceof Element ? e.target.closest('[data-confirm]') : null
  if (button && !confirm(button.getAttribute('data-confirm'))) e.preventDefault()
})
document.addEventListener('DOMContentLoaded', () => {
  const form = document.querySelector('form.wizard')
  if (!form) return
  // Only changed text is written: rewriting the summary when a field blurs (on a button's
  // mousedown) moved the page by scroll anchoring, so the mouseup missed and the click was lost.
  const out = (name, text) => { const el = form.querySelector('[data-summary=' + name + ']'); if (el && el.textContent !== text) el.textContent = text }
  const val = (name) => { const el = form.elements.namedItem(name); return el && 'value' in el ? el.value.trim() : '' }
  const checked = (name) => { const el = form.elements.namedItem(name); return !!(el && el.checked) }
  const update = () => {
    const patterns = [...form.querySelectorAll('input[name=pattern]')].map((p, i) => {
      const secs = form.querySelectorAll('input[name=minSeconds]')[i]
      const s = secs && secs.value.trim() !== '' ? Number(secs.value) : 0
      return p.value.trim() ? p.value.trim() + (s > 0 ? ' (at least ' + s + ' s)' : ' (at once)') : ''
    }).filter(Boolean)
    out('name', val('name') || '(no name yet)')
    out('pages', patterns.length ? patterns.join(', ') : '(no page yet)')
    const f = form.querySelector('input[name=frequency]:checked')
    const freq = !f ? '' : f.value === 'custom' ? 'at most ' + (val('count') || '?') + ' per ' + val('period') + ' per contact' : 'once a ' + f.value + ' per contact'
    out('frequency', freq)
    const who = []
    if (checked('notifyCreator')) who.push('me')
    if (checked('notifyOwner')) who.push("the contact's owner")
    if (val('cc')) who.push('CC: ' + val('cc'))
    out('recipients', who.length ? who.join('; ') : '(nobody yet: choose at least one)')
    const fmt = val('attachmentFormat')
    out('attachment', fmt ? fmt.toUpperCase() + ' file from a template' : 'none')
    out('active', checked('active') ? 'ON' : 'OFF')
  }
  // A field being corrected loses its red mark and the server's message beside it.
  form.addEventListener('input', (e) => {
    const field = e.target
    if (!(field instanceof HTMLElement) || !field.classList.contains('field-invalid')) return
    field.classList.remove('field-invalid')
    field.removeAttribute('aria-invalid')
    const message = field.nextElementSibling
    if (message && message.classList.contains('error')) message.remove()
  })
  form.addEventListener('input', update)
  form.addEventListener('change', update)
  update()
})
// Copy buttons: the text of the element named by data-copy goes to the clipboard; the button says so.
document.addEventListener('click', (e) => {
  const button = e.target instanceof Element ? e.target.closest('[data-copy]') : null
  const source = button && document.getElementById(button.getAttribute('data-copy'))
  if (!source) return
  const label = button.getAttribute('data-label') || button.textContent
  button.setAttribute('data-label', label)
  const done = () => { button.textContent = 'Copied ✓'; setTimeout(() => { button.textContent = label }, 2000) }
  const select = () => { const range = document.createRange(); range.selectNodeContents(source); getSelection().removeAllRanges(); getSelection().addRange(range) }
  const fallback = () => { select(); if (document.execCommand('copy')) done() }
  if (navigator.clipboard) navigator.clipboard.writeText(source.textContent).then(done, fallback)
  else fallback()
})
document.addEventListener('DOMContentLoaded', () => {
  // First run: the browser's own time zone is the likely answer.
  const zone = document.querySelector('select[data-tz-guess]')
  const guess = Intl.DateTimeFormat().resolvedOptions().timeZone
  if (zone && [...zone.options].some((o) => o.value === guess)) zone.value = guess
  // The install check refreshes itself every 3 s (while the tab is visible) until events arrive.
  const install = document.querySelector('[data-install-url]')
  if (!install || install.getAttribute('data-install') === 'live') return
  let checks = 0
  const check = async () => {
    if (!document.hidden) {
      try {
        const res = await fetch(install.getAttribute('data-install-url'), { headers: { accept: 'application/json' } })
        const { state, text } = res.ok ? await res.json() : {}
        if (state) {
          install.className = 'install ' + state
          install.setAttribute('data-install', state)
          const out = install.querySelector('[data-install-text]')
          if (out.textContent !== text) out.textContent = text
          if (state === 'live') return
        }
      } catch {}
    }
    if (++checks < 200) setTimeout(check, 3000)
  }
  setTimeout(check, 3000)
})
// Wizard step B: "does this page match?" asked again as the marketer types a pattern, a minimum
// time or the address (the server answers with the product's matcher); the Test button and Enter
// in the address ask at once instead of reloading the page.
document.addEventListener('DOMContentLoaded', () => {
  const tester = document.querySelector('[data-match-tester]')
  const form = tester && tester.closest('form')
  const out = tester && tester.querySelector('[data-match-result]')
  if (!form || !out) return
  let timer = 0
  let asked = 0
  const ask = async () => {
    clearTimeout(timer)
    const mine = ++asked
    try {
      const res = await fetch(tester.getAttribute('data-match-tester'), { method: 'POST', body: new URLSearchParams(new FormData(form)) })
      const text = res.ok ? await res.text() : ''
      // Only the latest question's answer is shown.
      if (text && mine === asked && out.innerHTML !== text) out.innerHTML = text
    } catch {}
  }
  form.addEventListener('input', (e) => {
    const field = e.target
    if (!(field instanceof HTMLInputElement) || !['pattern', 'minSeconds', 'testUrl'].includes(field.name)) return
    clearTimeout(timer)
    timer = setTimeout(ask, 250)
  })
  const address = form.elements.namedItem('testUrl')
  if (address) address.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); ask() } })
  const button = tester.querySelector('button[value=test-url]')
  if (button) button.addEventListener('click', (e) => { e.preventDefault(); ask() })
})
`
