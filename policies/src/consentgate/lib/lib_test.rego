package consentgate.lib_test

import data.consentgate.lib

catalog := data.consentgate.catalog

# Consent states a visitor can be in.
consent_states := {
	"absent": {},
	"acknowledged": {"consent": {"revision": "r1", "given_at": 1, "purposes": {}}},
	"all-no": {"consent": {"revision": "r1", "given_at": 1, "purposes": {
		"analytics": false, "personalization": false, "marketing": false, "functional": false,
	}}},
	"all-yes": {"consent": {"revision": "r1", "given_at": 1, "purposes": {
		"analytics": true, "personalization": true, "marketing": true, "functional": true,
	}}},
}

all_purposes := {"essential", "analytics", "personalization", "marketing", "functional"}

no_marketing := {"essential", "analytics", "personalization", "functional"}

# What APPI allows once the notice is seen: first-party purposes, no third-party transfer.
first_party := {"essential", "analytics", "personalization"}

# Every jurisdiction x consent state x GPC, with the purposes that must be allowed.
allowed_table := [
	["EU", "absent", false, {"essential"}],
	["EU", "absent", true, {"essential"}],
	["EU", "acknowledged", false, {"essential"}],
	["EU", "acknowledged", true, {"essential"}],
	["EU", "all-no", false, {"essential"}],
	["EU", "all-no", true, {"essential"}],
	["EU", "all-yes", false, all_purposes],
	["EU", "all-yes", true, no_marketing],
	["US-CA", "absent", false, {"essential"}],
	["US-CA", "absent", true, {"essential"}],
	["US-CA", "acknowledged", false, all_purposes],
	["US-CA", "acknowledged", true, no_marketing],
	["US-CA", "all-no", false, {"essential"}],
	["US-CA", "all-no", true, {"essential"}],
	["US-CA", "all-yes", false, all_purposes],
	["US-CA", "all-yes", true, no_marketing],
	["JP", "absent", false, {"essential"}],
	["JP", "absent", true, {"essential"}],
	["JP", "acknowledged", false, first_party],
	["JP", "acknowledged", true, first_party],
	["JP", "all-no", false, {"essential"}],
	["JP", "all-no", true, {"essential"}],
	["JP", "all-yes", false, all_purposes],
	["JP", "all-yes", true, no_marketing],
	["BR", "absent", false, {"essential"}],
	["BR", "absent", true, {"essential"}],
	["BR", "acknowledged", false, {"essential"}],
	["BR", "acknowledged", true, {"essential"}],
	["BR", "all-no", false, {"essential"}],
	["BR", "all-no", true, {"essential"}],
	["BR", "all-yes", false, all_purposes],
	["BR", "all-yes", true, no_marketing],
]

context(jurisdiction, state, gpc) := object.union(
	{"now": 1, "jurisdiction": jurisdiction, "signals": {"gpc": gpc}},
	consent_states[state],
)

test_allowed_purposes_for_every_jurisdiction_consent_state_and_gpc if {
	failures := [{"row": row, "got": got} |
		some row in allowed_table
		got := {p | some p in all_purposes; lib.purpose_allowed(p)} with input as context(row[0], row[1], row[2])
		got != row[3]
	]
	print(failures)
	failures == []
}

test_table_covers_every_combination if {
	combos := {[j, s, g] | some row in allowed_table; j := row[0]; s := row[1]; g := row[2]}
	count(combos) == count(allowed_table)
	count(combos) == (4 * count(consent_states)) * 2
}

test_unknown_jurisdiction_gets_strict_default if {
	lib.jurisdiction == "default" with input as {"jurisdiction": "BR"}
	lib.jurisdiction == "default" with input as {}
	lib.jurisdiction == "default" with input as {"jurisdiction": 42}
}

test_the_word_default_is_not_a_loophole if {
	lib.jurisdiction == "default" with input as {"jurisdiction": "default"}
}

test_eea_country_codes_resolve_to_eu if {
	lib.jurisdiction == "EU" with input as {"jurisdiction": "DE"}
	lib.jurisdiction == "EU" with input as {"jurisdiction": "NO"}
	lib.jurisdiction == "EU" with input as {"jurisdiction": "EEA"}
}

test_known_jurisdictions_resolve_to_themselves if {
	lib.jurisdiction == "EU" with input as {"jurisdiction": "EU"}
	lib.jurisdiction == "US-CA" with input as {"jurisdiction": "US-CA"}
	lib.jurisdiction == "JP" with input as {"jurisdiction": "JP"}
}

test_reason_consent_required if {
	lib.purpose_denials.analytics == {"consent-required"} with input as context("EU", "absent", false)
}

test_reason_consent_declined if {
	lib.purpose_denials.analytics == {"consent-declined"} with input as context("US-CA", "all-no", false)
}

test_reason_notice_not_acknowledged if {
	lib.purpose_denials.analytics == {"notice-not-acknowledged"} with input as context("US-CA", "absent", false)
}

test_reason_gpc_opt_out if {
	lib.purpose_denials.marketing == {"gpc-opt-out"} with input as context("US-CA", "all-yes", true)
}

test_gpc_must_be_literally_true if {
	inp := object.union(context("US-CA", "all-yes", false), {"signals": {"gpc": "1"}})
	lib.purpose_allowed("marketing") with input as inp
}

test_non_boolean_choices_are_not_consent if {
	inp := {"now": 1, "jurisdiction": "EU", "consent": {"purposes": {"analytics": "yes", "marketing": 1}}}
	lib.purpose_denials.analytics == {"consent-required"} with input as inp
	lib.purpose_denials.marketing == {"consent-required"} with input as inp
}

test_essential_is_never_denied if {
	every row in allowed_table {
		not lib.purpose_denials.essential with input as context(row[0], row[1], row[2])
	}
}

test_unknown_purpose_is_never_allowed if {
	not lib.purpose_allowed("telemetry") with input as context("US-CA", "acknowledged", false)
}

test_is_allowed_is_total if {
	lib.is_allowed("marketing") == false with input as context("EU", "absent", false)
	lib.is_allowed("essential") == true with input as context("EU", "absent", false)
}

test_valid_now_needs_a_non_negative_number if {
	lib.valid_now with input as {"now": 0}
	not lib.valid_now with input as {"now": -1}
	not lib.valid_now with input as {"now": "1"}
	not lib.valid_now with input as {}
}

test_third_party_consent_needs_an_explicit_yes_in_jp if {
	inp := context("JP", "acknowledged", false)
	lib.destination_denials("ads", "marketing") == {"consent-required", "third-party-consent-required"} with input as inp
}

test_third_party_consent_is_not_required_under_ccpa if {
	lib.destination_denials("ads", "marketing") == set() with input as context("US-CA", "acknowledged", false)
}

test_every_reason_code_has_english_and_japanese_text if {
	codes := {
		"consent-required", "consent-declined", "notice-not-acknowledged", "gpc-opt-out",
		"third-party-consent-required", "unknown-event", "unknown-purpose", "purpose-not-for-event",
		"unknown-property", "never-collected", "field-not-needed", "unknown-destination",
		"purpose-not-for-destination", "local-only-purpose", "field-not-for-destination",
		"unknown-script", "script-purpose-mismatch", "invalid-input",
	}
	missing := {code | some code in codes; not complete_text(catalog.reasons[code])}
	print(missing)
	missing == set()
	object.keys(catalog.reasons) == codes
}

complete_text(t) if {
	t.en != ""
	t.ja != ""
}

test_table_lists_every_catalog_purpose if {
	object.keys(catalog.purposes) == all_purposes
}

test_every_purpose_is_fully_described if {
	incomplete := {id |
		some id, p in catalog.purposes
		not described(p)
	}
	print(incomplete)
	incomplete == set()
}

described(p) if {
	complete_text(p.title)
	complete_text(p.description)
	p.retention_days > 0
	is_boolean(p.sale_share)
	is_boolean(p.local_only)
	every c, _ in p.fields {
		complete_text(catalog.categories[c])
	}
	every d in p.recipients {
		catalog.destinations[d]
	}
	every _, j in catalog.jurisdictions {
		j.consent[id_of(p)]
		j.legal_basis[id_of(p)]
	}
}

id_of(p) := id if {
	some id, q in catalog.purposes
	q == p
}

test_every_event_property_has_a_described_category if {
	undescribed := {[name, k] |
		some name, event in catalog.events
		some k, _ in event.properties
		not complete_text(catalog.categories[lib.category(name, k)])
	}
	print(undescribed)
	undescribed == set()
}

test_every_event_purpose_is_declared if {
	undeclared := {[name, p] |
		some name, event in catalog.events
		some p in event.purposes
		not catalog.purposes[p]
	}
	undeclared == set()
}

test_scoped_prefixes_each_code if {
	lib.scoped("analytics", {"a", "b"}) == {"analytics:a", "analytics:b"}
}
