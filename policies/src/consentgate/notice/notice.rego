# METADATA
# title: Notice
# description: |
#   What the banner must show here. Input: jurisdiction, signals.gpc, consent (optional).
#   Output: decision = {jurisdiction, regime, mode, version, gpc, controller, purposes, reasons}
#   where purposes is ordered as the catalog orders them.
package consentgate.notice

import data.consentgate.lib

catalog := lib.catalog

# METADATA
# description: The notice document for this jurisdiction and these signals.
# entrypoint: true
decision := {
	"jurisdiction": lib.jurisdiction,
	"regime": lib.rules.regime,
	"mode": lib.rules.mode,
	"version": catalog.version,
	"gpc": {"detected": gpc_detected, "applied": gpc_applied},
	"controller": catalog.controller,
	"purposes": [purpose_notice(id) | some pair in sort(order_pairs); id := pair[1]],
	"reasons": catalog.reasons,
}

order_pairs := [[purpose.order, id] | some id, purpose in catalog.purposes]

default gpc_detected := false

gpc_detected if lib.gpc

default gpc_applied := false

# GPC "applied" means it changed what the visitor is offered: a sale/share purpose is switched off.
gpc_applied if {
	lib.gpc
	some purpose in catalog.purposes
	purpose.sale_share == true
}

purpose_notice(id) := {
	"id": id,
	"consent": lib.requirement(id),
	"required": lib.requirement(id) == "none",
	"default": default_choice(id),
	"locked": locked(id),
	"allowed": lib.is_allowed(id),
	"legal_basis": legal_basis(id),
	"sale_share": catalog.purposes[id].sale_share,
	"local_only": catalog.purposes[id].local_only,
	"retention_days": catalog.purposes[id].retention_days,
	"title": catalog.purposes[id].title,
	"description": catalog.purposes[id].description,
	"categories": [{"id": c, "label": catalog.categories[c]} |
		some c in sort(object.keys(catalog.purposes[id].fields))
	],
	"recipients": [{
		"id": d,
		"name": catalog.destinations[d].name,
		"third_party": catalog.destinations[d].third_party,
	} |
		some d in catalog.purposes[id].recipients
	],
	"reasons": sort(object.get(lib.purpose_denials, id, set())),
}

default legal_basis(_) := "consent"

legal_basis(id) := lib.rules.legal_basis[id]

# Preferences start switched on only where the law lets us assume yes (opt-out) and GPC does not say no.
default default_choice(_) := false

default_choice(id) if lib.requirement(id) == "none"

default_choice(id) if {
	lib.requirement(id) == "opt-out"
	not gpc_blocks(id)
}

default locked(_) := false

locked(id) if lib.requirement(id) == "none"

locked(id) if gpc_blocks(id)

gpc_blocks(id) if {
	lib.gpc
	catalog.purposes[id].sale_share == true
}
