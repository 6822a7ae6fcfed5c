# METADATA
# title: Egress
# description: |
#   May a stored record leave the device for this destination, and which of its fields?
#   Checked again right before every send, and again at the collector.
#   Input: jurisdiction, signals, consent, destination, event {name, purpose, keys}.
#   Output: decision = {allow, destination, purpose, fields, dropped, reasons}.
package consentgate.egress

import data.consentgate.lib

catalog := lib.catalog

default destination_id := null

destination_id := input.destination if is_string(input.destination)

default purpose := null

purpose := input.event.purpose if is_string(input.event.purpose)

default event_name := null

event_name := input.event.name if is_string(input.event.name)

destination := catalog.destinations[destination_id]

schema := catalog.events[event_name]

# METADATA
# description: The egress decision for one record and one destination.
# entrypoint: true
decision := {
	"allow": count(reasons) == 0,
	"destination": destination_id,
	"purpose": purpose,
	"fields": sort(fields),
	"dropped": dropped,
	"reasons": sort(reasons),
}

reasons contains "invalid-input" if not is_array(object.get(input, ["event", "keys"], null))

reasons contains "unknown-destination" if not destination

reasons contains "unknown-purpose" if not catalog.purposes[purpose]

reasons contains "unknown-event" if not schema

reasons contains "purpose-not-for-event" if {
	schema
	catalog.purposes[purpose]
	not purpose in schema.purposes
}

reasons contains "local-only-purpose" if catalog.purposes[purpose].local_only == true

reasons contains "purpose-not-for-destination" if {
	destination
	catalog.purposes[purpose]
	not purpose in destination.purposes
}

reasons contains code if {
	destination
	catalog.purposes[purpose]
	some code in lib.destination_denials(destination_id, purpose)
}

fields contains k if {
	some k in lib.keys
	not dropped[k]
}

# Categories the destination may receive; no list means whatever the purpose keeps.
accepts(_) if not destination.categories

accepts(c) if c in destination.categories

dropped[k] := lib.drop_reason(event_name, k) if {
	some k in lib.keys
	not lib.field_action(event_name, purpose, k)
}

dropped[k] := "field-not-for-destination" if {
	some k in lib.keys
	lib.field_action(event_name, purpose, k)
	not accepts(lib.category(event_name, k))
}
