// The hourly digest a flooded recipient gets instead of further alerts. Variables: `count`,
// `hour` (start, UTC) and `alerts`, each { alert, contact, email, page, url, seconds, at }.

export const DIGEST_HTML = `<!doctype html>
<html><body style="font-family:system-ui,sans-serif;color:#1d2330;max-width:640px">
<p>{{ count }} more alert{% if count != 1 %}s{% endif %} fired for you in the hour from {{ hour }}. They were held back so your inbox stays usable:</p>
<ul>
{% for a in alerts %}<li>{{ a.at }} — <b>{{ a.alert }}</b>: {{ a.contact }} ({{ a.email }}) spent {{ a.seconds }} s on
{% if a.url != "" %}<a href="{{ a.url }}">{{ a.page | default: a.url }}</a>{% else %}{{ a.page }}{% endif %}</li>
{% endfor %}</ul>
</body></html>`

export const DIGEST_TEXT = `{{ count }} more alert{% if count != 1 %}s{% endif %} fired for you in the hour from {{ hour }}:
{% for a in alerts %}- {{ a.at }} {{ a.alert }}: {{ a.contact }} ({{ a.email }}) spent {{ a.seconds }} s on {{ a.page }} {{ a.url }}
{% endfor %}`
