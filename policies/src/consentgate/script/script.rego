# METADATA
# title: Script
# description: |
#   May this tagged third-party script or iframe run? Only sources the catalog lists may run, and only
#   for the purpose it lists, when that purpose is allowed for its destination.
#   Input: jurisdiction, signals, consent, script {purpose, src}.
#   Output: decision = {allow, src, purpose, reasons}.
package consentgate.script

import data.consentgate.lib

catalog := lib.catalog

default src := null

src := input.script.src if is_string(input.script.src)

entry := catalog.scripts[src]

# METADATA
# description: The script decision for input.script.
# entrypoint: true
decision := {
	"allow": count(reasons) == 0,
	"src": src,
	"purpose": object.get(catalog.scripts, [src, "purpose"], null),
	"reasons": sort(reasons),
}

reasons contains "unknown-script" if not entry

reasons contains "script-purpose-mismatch" if {
	entry
	input.script.purpose != entry.purpose
}

reasons contains "unknown-purpose" if {
	entry
	not catalog.purposes[entry.purpose]
}

reasons contains code if {
	entry
	catalog.purposes[entry.purpose]
	some code in lib.purpose_denials[entry.purpose]
}

reasons contains code if {
	entry
	catalog.purposes[entry.purpose]
	some code in lib.destination_denials(entry.destination, entry.purpose)
}
