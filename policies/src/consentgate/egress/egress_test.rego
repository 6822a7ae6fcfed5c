package consentgate.egress_test

import data.consentgate.egress

yes := {"given_at": 1, "purposes": {"analytics": true, "personalization": true, "marketing": true}}

send(jurisdiction, destination, name, purpose, keys) := {
	"jurisdiction": jurisdiction,
	"consent": yes,
	"destination": destination,
	"event": {"type": "track", "name": name, "purpose": purpose, "keys": keys},
}

test_analytics_record_goes_to_the_first_party_collector if {
	d := egress.decision with input as send("EU", "collector", "Product Viewed", "analytics", ["sku", "price"])
	d.allow
	d.fields == ["price", "sku"]
	d.dropped == {}
	d.reasons == []
}

test_ads_receive_only_their_categories if {
	inp := send("EU", "ads", "Order Completed", "marketing", ["email", "revenue", "order_id", "postal_code"])
	d := egress.decision with input as inp
	d.allow
	d.fields == ["email", "order_id", "revenue"]
	d.dropped == {"postal_code": "field-not-needed"}
}

test_reason_field_not_for_destination if {
	d := egress.decision with input as send("EU", "ads", "Product Viewed", "marketing", ["sku"])
		with data.consentgate.catalog.destinations.ads.categories as ["user.contact.email"]
	d.dropped == {"sku": "field-not-for-destination"}
	d.fields == []
}

test_reason_local_only_purpose if {
	d := egress.decision with input as send("EU", "collector", "Product Viewed", "personalization", ["sku"])
	not d.allow
	d.reasons == ["local-only-purpose", "purpose-not-for-destination"]
}

test_tracked_events_never_go_to_the_support_chat if {
	both := {"consent": {"purposes": {"analytics": true, "functional": true}}}
	inp := object.union(send("EU", "chat", "Product Viewed", "analytics", ["sku"]), both)
	d := egress.decision with input as inp
	not d.allow
	"purpose-not-for-destination" in d.reasons
}

test_reason_unknown_destination if {
	d := egress.decision with input as send("EU", "tracker.example", "Product Viewed", "analytics", ["sku"])
	not d.allow
	d.reasons == ["unknown-destination"]
}

test_reason_purpose_not_for_destination if {
	d := egress.decision with input as send("EU", "ads", "Product Viewed", "analytics", ["sku"])
	not d.allow
	d.reasons == ["purpose-not-for-destination"]
}

test_reason_purpose_not_for_event if {
	d := egress.decision with input as send("EU", "collector", "Page Engagement", "marketing", ["path"])
	not d.allow
	d.reasons == ["purpose-not-for-destination", "purpose-not-for-event"]
}

test_reason_unknown_purpose if {
	d := egress.decision with input as send("EU", "collector", "Product Viewed", "telemetry", ["sku"])
	not d.allow
	d.reasons == ["unknown-purpose"]
}

test_reason_unknown_event if {
	d := egress.decision with input as send("EU", "collector", "Secret Thing", "analytics", ["sku"])
	not d.allow
	d.reasons == ["unknown-event"]
}

test_reason_invalid_input if {
	inp := object.union(send("EU", "collector", "Product Viewed", "analytics", []), {"event": {"keys": "sku"}})
	d := egress.decision with input as inp
	not d.allow
	"invalid-input" in d.reasons
}

test_consent_is_checked_again_before_sending if {
	inp := object.union(
		send("EU", "collector", "Product Viewed", "analytics", ["sku"]),
		{"consent": {"purposes": {"analytics": false}}},
	)
	d := egress.decision with input as inp
	not d.allow
	d.reasons == ["consent-declined"]
}

test_gpc_blocks_sale_and_share_under_ccpa if {
	inp := object.union(send("US-CA", "ads", "Product Viewed", "marketing", ["sku"]), {"signals": {"gpc": true}})
	d := egress.decision with input as inp
	not d.allow
	d.reasons == ["gpc-opt-out"]
}

test_ccpa_opt_out_allows_sale_after_notice_without_explicit_yes if {
	inp := object.union(send("US-CA", "ads", "Product Viewed", "marketing", ["sku"]), {"consent": {"purposes": {}}})
	d := egress.decision with input as inp
	d.allow
}

test_reason_third_party_consent_required if {
	inp := send("JP", "ads", "Product Viewed", "marketing", ["sku"])
	d := egress.decision with input as inp with data.consentgate.catalog.jurisdictions.JP.consent.marketing as "opt-out"
		with input.consent as {"purposes": {}}
	not d.allow
	d.reasons == ["third-party-consent-required"]
}

test_nothing_leaves_before_consent if {
	allowed := {[j, dest, p] |
		some j in ["EU", "US-CA", "JP", "BR"]
		some pair in [["collector", "analytics"], ["ads", "marketing"], ["collector", "essential"]]
		dest := pair[0]
		p := pair[1]
		inp := object.remove(send(j, dest, "Order Completed", p, ["revenue"]), ["consent"])
		d := egress.decision with input as inp
		d.allow
	}
	allowed == set()
}

test_non_string_destination_and_purpose_are_reported_as_null if {
	d := egress.decision with input as send("EU", 7, "Product Viewed", ["analytics"], ["sku"])
	d.destination == null
	d.purpose == null
	not d.allow
}
