# METADATA
# title: Collect
# description: |
#   May this event be stored on the device, for which purposes, how minimised and for how long?
#   Decided on metadata only (event name, property keys, consent, signals, jurisdiction), never on
#   values. Input: now (required), jurisdiction, signals, consent, event {name, keys}.
#   Output: decision = {allow, event, records, denied, reasons} where records holds one entry per
#   allowed purpose: {purpose, retention_days, expires_at, anonymous_id, fields, dropped}.
package consentgate.collect

import data.consentgate.lib

catalog := lib.catalog

default event_name := null

event_name := input.event.name if is_string(input.event.name)

schema := catalog.events[event_name]

# One day in milliseconds: retention is declared in days, expiry is epoch milliseconds.
day_ms := 86400000

# METADATA
# description: The collect decision for input.event.
# entrypoint: true
decision := {
	"allow": count(records) > 0,
	"event": event_name,
	"records": records,
	"denied": {p: sort(codes) | some p, codes in denied},
	"reasons": sort(reasons),
}

event_denials contains "invalid-input" if not lib.valid_now

event_denials contains "invalid-input" if not is_array(object.get(input, ["event", "keys"], null))

event_denials contains "unknown-event" if not schema

# Purposes this event serves that are stopped, with their reason codes.
denied[p] contains code if {
	count(event_denials) == 0
	some p in schema.purposes
	some code in purpose_denials(p)
}

purpose_denials(p) := object.get(lib.purpose_denials, p, set()) if {
	catalog.purposes[p]
} else := {"unknown-purpose"}

# METADATA
# description: One stored record per allowed purpose, with only the fields that purpose needs.
records[p] := {
	"purpose": p,
	"retention_days": purpose.retention_days,
	"expires_at": input.now + (purpose.retention_days * day_ms),
	"anonymous_id": purpose.anonymous_id,
	"fields": {k: action | some k in lib.keys; action := lib.field_action(event_name, p, k)},
	"dropped": {k: lib.drop_reason(event_name, k) |
		some k in lib.keys
		not lib.field_action(event_name, p, k)
	},
} if {
	count(event_denials) == 0
	some p in schema.purposes
	lib.purpose_allowed(p)
	purpose := catalog.purposes[p]
}

reasons contains code if some code in event_denials

reasons contains scoped if {
	some p, codes in denied
	some scoped in lib.scoped(p, codes)
}
