package consentgate.notice_test

import data.consentgate.notice

purpose(d, id) := p if {
	some p in d.purposes
	p.id == id
}

test_eu_is_opt_in_with_nothing_pre_ticked if {
	d := notice.decision with input as {"jurisdiction": "FR"}
	d.jurisdiction == "EU"
	d.mode == "opt-in"
	[p.id | some p in d.purposes] == ["essential", "analytics", "personalization", "marketing", "functional"]
	every p in d.purposes {
		p.default == p.required
	}
}

test_support_chat_is_a_third_party_purpose_gpc_leaves_alone if {
	d := notice.decision with input as {"jurisdiction": "US-CA", "signals": {"gpc": true}}
	c := purpose(d, "functional")
	c.consent == "opt-out"
	c.legal_basis == "business-purpose"
	c.sale_share == false
	c.locked == false
	c.recipients == [{"id": "chat", "name": catalog_chat_name, "third_party": true}]
}

catalog_chat_name := data.consentgate.catalog.destinations.chat.name

test_essential_is_shown_as_always_on_and_locked if {
	d := notice.decision with input as {"jurisdiction": "EU"}
	e := purpose(d, "essential")
	e.required
	e.locked
	e.default
	e.allowed
	e.legal_basis == "strictly-necessary"
}

test_ccpa_notice_is_opt_out_and_pre_enabled if {
	d := notice.decision with input as {"jurisdiction": "US-CA"}
	d.mode == "opt-out"
	purpose(d, "marketing").default == true
	purpose(d, "marketing").locked == false
	purpose(d, "marketing").legal_basis == "opt-out-of-sale-share"
	d.gpc == {"detected": false, "applied": false}
}

test_gpc_is_shown_as_honoured if {
	d := notice.decision with input as {"jurisdiction": "US-CA", "signals": {"gpc": true}}
	d.gpc == {"detected": true, "applied": true}
	m := purpose(d, "marketing")
	m.default == false
	m.locked == true
	m.reasons == ["gpc-opt-out", "notice-not-acknowledged"]
}

test_japan_asks_before_third_party_transfer if {
	d := notice.decision with input as {"jurisdiction": "JP"}
	d.mode == "opt-in"
	purpose(d, "marketing").consent == "opt-in"
	purpose(d, "marketing").default == false
	purpose(d, "analytics").consent == "opt-out"
	purpose(d, "marketing").legal_basis == "consent-third-party-transfer"
}

test_unknown_region_gets_the_strict_default if {
	d := notice.decision with input as {"jurisdiction": "ZZ"}
	d.jurisdiction == "default"
	d.mode == "opt-in"
	every p in d.purposes {
		p.default == p.required
	}
}

test_purposes_say_what_why_how_long_and_who if {
	d := notice.decision with input as {"jurisdiction": "EU"}
	m := purpose(d, "marketing")
	m.retention_days == 30
	m.sale_share == true
	m.title.ja == "広告"
	{c.id | some c in m.categories} == {
		"user.behavior.browsing_history", "user.behavior.purchase_history",
		"user.contact.email",
	}
	m.recipients == [{
		"id": "ads", "name": {
			"en": "Example Ads Network (third party)",
			"ja": "Example Ads Network（第三者）",
		},
		"third_party": true,
	}]
	purpose(d, "personalization").recipients == []
	purpose(d, "personalization").local_only == true
}

test_allowed_reflects_the_current_consent if {
	d := notice.decision with input as {"jurisdiction": "EU", "consent": {"purposes": {"analytics": true}}}
	purpose(d, "analytics").allowed == true
	purpose(d, "marketing").allowed == false
	purpose(d, "marketing").reasons == ["consent-required"]
}

test_notice_carries_contact_version_and_reason_texts if {
	d := notice.decision with input as {}
	d.controller.contact.email == "privacy@sakura-goods.example"
	d.version == data.consentgate.catalog.version
	d.reasons["gpc-opt-out"].ja != ""
}

test_missing_legal_basis_falls_back_to_consent if {
	d := notice.decision with input as {"jurisdiction": "EU"}
		with data.consentgate.catalog.jurisdictions.EU.legal_basis as {}
	purpose(d, "analytics").legal_basis == "consent"
}
