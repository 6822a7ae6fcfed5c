# METADATA
# title: Shared rules
# description: |
#   Consent, jurisdiction and per-field minimisation rules shared by every entrypoint.
#   Input (all fields optional unless an entrypoint says otherwise):
#     now:          epoch milliseconds, supplied by the caller (policies never read the clock)
#     jurisdiction: "EU" | "US-CA" | "JP" | an alias from the catalog | anything else (strict default)
#     signals.gpc:  true when the browser sends Global Privacy Control
#     consent:      {revision, purposes: {<purpose>: bool}, given_at}; absent until the visitor chose
#     event:        {type, name, keys: [property names], purpose (egress only)}
#     destination:  destination id (egress only)
#     script:       {purpose, src} (script only)
package consentgate.lib

catalog := data.consentgate.catalog

# METADATA
# description: The jurisdiction whose rules apply; unknown values get the strict default.
# scope: document
default jurisdiction := "default"

jurisdiction := input.jurisdiction if {
	input.jurisdiction != "default"
	catalog.jurisdictions[input.jurisdiction]
} else := catalog.jurisdiction_aliases[input.jurisdiction]

rules := catalog.jurisdictions[jurisdiction]

# METADATA
# description: True when the browser sent Global Privacy Control.
gpc if input.signals.gpc == true

# METADATA
# description: True when a consent record exists, i.e. the visitor has answered the notice.
consent_given if is_object(input.consent.purposes)

# METADATA
# description: True when input.now is a usable timestamp (epoch milliseconds).
valid_now if {
	is_number(input.now)
	input.now >= 0
}

# METADATA
# description: How purpose p must be agreed to here; unknown combinations need opt-in.
# scope: document
default requirement(_) := "opt-in"

requirement(p) := rules.consent[p]

# METADATA
# description: True when the visitor explicitly said yes to purpose p.
said_yes(p) if input.consent.purposes[p] == true

# METADATA
# description: True when the visitor explicitly said no to purpose p.
said_no(p) if input.consent.purposes[p] == false

# METADATA
# description: Reason codes that stop purpose p from being used right now.
# scope: document
purpose_denials[p] contains "consent-required" if {
	some p, _ in catalog.purposes
	requirement(p) == "opt-in"
	not said_yes(p)
	not said_no(p)
}

purpose_denials[p] contains "consent-declined" if {
	some p, _ in catalog.purposes
	requirement(p) != "none"
	said_no(p)
}

purpose_denials[p] contains "notice-not-acknowledged" if {
	not consent_given
	some p, _ in catalog.purposes
	requirement(p) == "opt-out"
}

purpose_denials[p] contains "gpc-opt-out" if {
	gpc
	some p, purpose in catalog.purposes
	purpose.sale_share == true
}

# METADATA
# description: True when purpose p is declared and nothing stops it.
purpose_allowed(p) if {
	catalog.purposes[p]
	not purpose_denials[p]
}

# METADATA
# description: purpose_allowed as a total boolean, for building documents.
is_allowed(p) if purpose_allowed(p)

else := false

# METADATA
# description: Reasons a destination stops purpose p (sale/share under GPC, third-party consent).
destination_denials(dest_id, p) := ({r |
	some r in purpose_denials[p]
} | {"gpc-opt-out" |
	catalog.destinations[dest_id].sale_share == true
	gpc
}) | {"third-party-consent-required" |
	catalog.destinations[dest_id].third_party == true
	rules.third_party_consent == true
	not said_yes(p)
}

# METADATA
# description: The data category of property key k in event name, if the event declares it.
category(name, k) := c if {
	c := catalog.events[name].properties[k]
	is_string(c)
} else := c if {
	c := catalog.events[name].properties[k].category
}

never_collected(_, k) if catalog.reserved_properties[k]

never_collected(name, k) if category(name, k) in {c | some c in catalog.never_collect}

normalise(a) := {"action": a} if is_string(a)

normalise(a) := a if is_object(a)

# A property-level generalisation (e.g. referrer → origin) tightens "keep"; it never loosens.
refine(name, k, a) := {"action": "generalise", "method": g} if {
	a.action == "keep"
	g := catalog.events[name].properties[k].generalise
} else := a

# METADATA
# description: How purpose p keeps property k of event name; undefined when it is dropped.
field_action(name, p, k) := a if {
	not never_collected(name, k)
	c := category(name, k)
	a := refine(name, k, normalise(catalog.purposes[p].fields[c]))
	a.action != "drop"
}

# METADATA
# description: Why a purpose that keeps no action for property k of event name drops it.
drop_reason(name, k) := "never-collected" if {
	never_collected(name, k)
} else := "unknown-property" if {
	not category(name, k)
} else := "field-not-needed"

# METADATA
# description: Event property names from input.event.keys (non-strings ignored).
keys contains k if {
	some k in input.event.keys
	is_string(k)
}

# METADATA
# description: Reasons as sorted "<scope>:<code>" strings, for people and logs.
scoped(scope, codes) := {concat(":", [scope, code]) | some code in codes}
