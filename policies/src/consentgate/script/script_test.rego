package consentgate.script_test

import data.consentgate.script

pixel := {"purpose": "marketing", "src": "/vendors/ads-pixel.js"}

run(jurisdiction, purposes, tag) := {
	"jurisdiction": jurisdiction,
	"consent": {"given_at": 1, "purposes": purposes},
	"script": tag,
}

test_pixel_runs_after_consent if {
	d := script.decision with input as run("EU", {"marketing": true}, pixel)
	d.allow
	d.purpose == "marketing"
	d.reasons == []
}

test_pixel_waits_for_consent_in_the_eu if {
	d := script.decision with input as object.remove(run("EU", {}, pixel), ["consent"])
	not d.allow
	d.reasons == ["consent-required", "third-party-consent-required"]
}

test_pixel_never_runs_under_gpc_in_california if {
	inp := object.union(run("US-CA", {"marketing": true}, pixel), {"signals": {"gpc": true}})
	d := script.decision with input as inp
	not d.allow
	d.reasons == ["gpc-opt-out"]
}

test_pixel_runs_after_the_ccpa_notice_without_gpc if {
	d := script.decision with input as run("US-CA", {}, pixel)
	d.allow
}

chat := {"purpose": "functional", "src": "/vendors/chat-widget.js"}

test_chat_runs_after_consent_in_the_eu if {
	d := script.decision with input as run("EU", {"functional": true}, chat)
	d.allow
	d.purpose == "functional"
}

test_chat_waits_for_an_explicit_yes_in_japan if {
	d := script.decision with input as run("JP", {}, chat)
	not d.allow
	d.reasons == ["consent-required", "third-party-consent-required"]
}

test_chat_is_not_a_sale_so_gpc_does_not_stop_it if {
	inp := object.union(run("US-CA", {}, chat), {"signals": {"gpc": true}})
	d := script.decision with input as inp
	d.allow
}

test_chat_stops_when_declined if {
	d := script.decision with input as run("US-CA", {"functional": false}, chat)
	not d.allow
	d.reasons == ["consent-declined"]
}

test_chat_cannot_be_retagged_as_marketing if {
	retagged := {"purpose": "marketing", "src": "/vendors/chat-widget.js"}
	d := script.decision with input as run("EU", {"marketing": true, "functional": true}, retagged)
	not d.allow
	d.reasons == ["script-purpose-mismatch"]
}

test_reason_unknown_script if {
	d := script.decision with input as run("EU", {"marketing": true}, {"purpose": "marketing", "src": "/evil.js"})
	not d.allow
	d.reasons == ["unknown-script"]
	d.purpose == null
}

test_reason_script_purpose_mismatch if {
	d := script.decision with input as run("US-CA", {}, {"purpose": "analytics", "src": "/vendors/ads-pixel.js"})
	not d.allow
	d.reasons == ["script-purpose-mismatch"]
}

test_reason_unknown_purpose_for_a_mis_catalogued_script if {
	d := script.decision with input as run("US-CA", {}, {"purpose": "telemetry", "src": "/x.js"})
		with data.consentgate.catalog.scripts as {"/x.js": {"purpose": "telemetry", "destination": "ads"}}
	not d.allow
	"unknown-purpose" in d.reasons
}

test_missing_script_is_denied if {
	d := script.decision with input as {"jurisdiction": "US-CA"}
	not d.allow
	d.src == null
}
