package consentgate.collect_test

import data.consentgate.collect

day_ms := 86400000

eu_yes := {"now": 1000, "jurisdiction": "EU", "consent": {"given_at": 1, "purposes": {
	"analytics": true, "personalization": true, "marketing": true,
}}}

eu_none := {"now": 1000, "jurisdiction": "EU"}

with_event(base, name, keys) := object.union(base, {"event": {"type": "track", "name": name, "keys": keys}})

checkout_keys := ["value", "currency", "item_count", "name", "email", "phone", "address", "postal_code", "note", "ip"]

test_nothing_is_stored_before_consent_in_the_eu if {
	d := collect.decision with input as with_event(eu_none, "Order Completed", ["order_id", "revenue", "email"])
	not d.allow
	d.records == {}
	d.denied == {"analytics": ["consent-required"], "marketing": ["consent-required"]}
	d.reasons == ["analytics:consent-required", "marketing:consent-required"]
}

test_essential_purpose_collects_no_tracking_events if {
	essential_events := {name | some name, e in data.consentgate.catalog.events; "essential" in e.purposes}
	essential_events == set()
}

test_non_essential_event_is_denied_before_consent if {
	d := collect.decision with input as with_event(eu_none, "Product Viewed", ["sku"])
	not d.allow
	d.records == {}
	d.reasons == ["analytics:consent-required", "marketing:consent-required", "personalization:consent-required"]
}

test_one_record_per_consented_purpose if {
	d := collect.decision with input as with_event(eu_yes, "Product Viewed", ["sku", "price"])
	d.allow
	object.keys(d.records) == {"analytics", "personalization", "marketing"}
	d.denied == {}
	d.reasons == []
}

test_expiry_is_now_plus_the_purpose_retention if {
	d := collect.decision with input as with_event(eu_yes, "Product Viewed", ["sku"])
	d.records.analytics.expires_at == 1000 + (30 * day_ms)
	d.records.personalization.expires_at == 1000 + (90 * day_ms)
	d.records.analytics.retention_days == 30
}

test_checkout_is_minimised_per_purpose if {
	d := collect.decision with input as with_event(eu_yes, "Checkout Started", checkout_keys)
	d.records.analytics.fields == {
		"value": {"action": "keep"},
		"currency": {"action": "keep"},
		"item_count": {"action": "keep"},
		"address": {"action": "generalise", "method": "region"},
		"postal_code": {"action": "generalise", "method": "prefix", "length": 3},
	}
	d.records.marketing.fields == {
		"value": {"action": "keep"},
		"currency": {"action": "keep"},
		"item_count": {"action": "keep"},
		"email": {"action": "hash"},
	}
}

test_email_is_only_ever_kept_hashed_and_only_for_marketing if {
	d := collect.decision with input as with_event(eu_yes, "Order Completed", ["email"])
	kept := {p | some p, r in d.records; r.fields.email}
	kept == {"marketing"}
	d.records.marketing.fields.email == {"action": "hash"}
}

test_reason_never_collected_for_ip_and_free_text if {
	d := collect.decision with input as with_event(eu_yes, "Checkout Started", checkout_keys)
	every _, r in d.records {
		r.dropped.ip == "never-collected"
		r.dropped.note == "never-collected"
	}
}

test_ip_is_refused_even_on_events_that_do_not_declare_it if {
	d := collect.decision with input as with_event(eu_yes, "Product Viewed", ["sku", "ip_address"])
	d.records.analytics.dropped == {"ip_address": "never-collected"}
}

test_reason_unknown_property if {
	d := collect.decision with input as with_event(eu_yes, "Product Viewed", ["sku", "shoe_size"])
	d.records.analytics.dropped == {"shoe_size": "unknown-property"}
	d.records.analytics.fields == {"sku": {"action": "keep"}}
}

test_reason_field_not_needed if {
	d := collect.decision with input as with_event(eu_yes, "Checkout Started", ["name", "phone"])
	d.records.analytics.dropped == {"name": "field-not-needed", "phone": "field-not-needed"}
	d.records.analytics.fields == {}
}

test_referrer_is_generalised_to_its_origin if {
	d := collect.decision with input as with_event(eu_yes, "Page Viewed", ["path", "referrer"])
	d.records.analytics.fields.referrer == {"action": "generalise", "method": "origin"}
	d.records.analytics.fields.path == {"action": "keep"}
}

test_reason_unknown_event if {
	d := collect.decision with input as with_event(eu_yes, "Password Typed", ["password"])
	not d.allow
	d.reasons == ["unknown-event"]
	d.records == {}
}

test_reason_invalid_input_without_now if {
	d := collect.decision with input as object.remove(with_event(eu_yes, "Product Viewed", ["sku"]), ["now"])
	not d.allow
	d.reasons == ["invalid-input"]
}

test_reason_invalid_input_without_keys if {
	d := collect.decision with input as object.union(eu_yes, {"event": {"name": "Product Viewed"}})
	not d.allow
	d.reasons == ["invalid-input"]
}

test_missing_event_is_denied_not_undefined if {
	d := collect.decision with input as eu_yes
	not d.allow
	d.event == null
	"unknown-event" in d.reasons
}

test_non_string_keys_are_ignored if {
	d := collect.decision with input as with_event(eu_yes, "Product Viewed", ["sku", 7, {"a": 1}])
	d.records.analytics.fields == {"sku": {"action": "keep"}}
	d.records.analytics.dropped == {}
}

test_anonymous_id_only_for_purposes_that_allow_it if {
	d := collect.decision with input as with_event(eu_yes, "Product Viewed", ["sku"])
	d.records.analytics.anonymous_id == true
	d.records.personalization.anonymous_id == false
}

test_gpc_stops_marketing_collection_under_ccpa if {
	inp := object.union(
		with_event(eu_yes, "Product Added", ["sku"]),
		{"jurisdiction": "US-CA", "signals": {"gpc": true}},
	)
	d := collect.decision with input as inp
	object.keys(d.records) == {"analytics"}
	d.denied == {"marketing": ["gpc-opt-out"]}
}

test_declined_purpose_is_reported if {
	inp := object.union(
		with_event(eu_yes, "Page Engagement", ["dwell_ms"]),
		{"consent": {"purposes": {"analytics": false}}},
	)
	d := collect.decision with input as inp
	not d.allow
	d.denied == {"analytics": ["consent-declined"]}
}

test_reason_unknown_purpose_for_an_event_naming_an_undeclared_purpose if {
	d := collect.decision with input as with_event(eu_yes, "Product Viewed", ["sku"])
		with data.consentgate.catalog.events["Product Viewed"].purposes as ["analytics", "telemetry"]
	d.denied == {"telemetry": ["unknown-purpose"]}
	object.keys(d.records) == {"analytics"}
}

test_non_string_event_name_is_reported_as_null if {
	d := collect.decision with input as with_event(eu_yes, 7, ["sku"])
	d.event == null
	d.reasons == ["unknown-event"]
}
