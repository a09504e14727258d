// The default alert e-mail, HTML and plain text, in Liquid. Variables: see docs/delivery.md.
// Output is escaped by the engine; links only ever come from http(s) URLs (template-data.ts).

export const DEFAULT_ALERT_HTML = `<!doctype html>
<html><body style="font-family:system-ui,sans-serif;color:#1d2330;max-width:640px">
{% if alert.description != "" %}<p style="font-size:16px">{{ alert.description }}</p>{% endif %}
<h2 style="font-size:18px">{{ contact.name | default: contact.email }} spent {{ visit.seconds }} s on
{% if visit.url != "" %}<a href="{{ visit.url }}">{{ visit.title | default: visit.url }}</a>{% else %}{{ visit.title }}{% endif %}</h2>
<table cellpadding="4" style="border-collapse:collapse">
<tr><th align="left">Name</th><td>{{ contact.name }}</td></tr>
<tr><th align="left">E-mail</th><td>{{ contact.email }}</td></tr>
<tr><th align="left">Company</th><td>{{ contact.company }}</td></tr>
<tr><th align="left">Phone</th><td>{{ contact.phone }}</td></tr>
<tr><th align="left">Owner</th><td>{{ contact.owner }}</td></tr>
<tr><th align="left">Tags</th><td>{{ contact.tags | join: ", " }}</td></tr>
<tr><th align="left">Score</th><td>{{ contact.score }}</td></tr>
<tr><th align="left">This visitor identified by</th><td>{{ contact.identified_by }}</td></tr>
</table>
<h3 style="font-size:16px">Recent activity</h3>
<ul>
{% for a in activity %}<li>{{ a.at }} —
{% case a.type %}
{% when "pageview" %}{% if a.url != "" %}<a href="{{ a.url }}">{{ a.title | default: a.url }}</a>{% else %}{{ a.title }}{% endif %}{% if a.seconds %} ({{ a.seconds }} s){% endif %}
{% when "form" %}form{% for f in a.fields %} · {{ f.name }}: {{ f.value }}{% endfor %}
{% else %}{{ a.type }} {{ a.title }}
{% endcase %}</li>
{% endfor %}</ul>
<p style="color:#6b7280;font-size:12px">Pagebell alert "{{ alert.name }}", fired {{ fired_at }}.</p>
</body></html>`

export const DEFAULT_ALERT_TEXT = `{% if alert.description != "" %}{{ alert.description }}

{% endif %}{{ contact.name | default: contact.email }} spent {{ visit.seconds }} s on {{ visit.title }} — {{ visit.url }}

Name: {{ contact.name }}
E-mail: {{ contact.email }}
Company: {{ contact.company }}
Phone: {{ contact.phone }}
Owner: {{ contact.owner }}
Tags: {{ contact.tags | join: ", " }}
Score: {{ contact.score }}
This visitor identified by: {{ contact.identified_by }}

Recent activity:
{% for a in activity %}- {{ a.at }} {% case a.type %}{% when "pageview" %}{{ a.title }} {{ a.url }}{% if a.seconds %} ({{ a.seconds }} s){% endif %}{% when "form" %}form{% for f in a.fields %} · {{ f.name }}: {{ f.value }}{% endfor %}{% else %}{{ a.type }} {{ a.title }}{% endcase %}
{% endfor %}
Pagebell alert "{{ alert.name }}", fired {{ fired_at }}.
`
