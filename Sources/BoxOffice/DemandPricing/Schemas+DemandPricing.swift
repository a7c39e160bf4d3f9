import OpenAPIKit
import Pricing

private func bounded(_ bounds: ClosedRange<Int>, required: Bool = true, _ description: String) -> JSONSchema {
    .integer(
        required: required, description: description, maximum: (bounds.upperBound, exclusive: false),
        minimum: (bounds.lowerBound, exclusive: false))
}

private func tiers(required: Bool) -> OrderedDictionary<String, JSONSchema> {
    let rules = DemandPricingRules.self
    return [
        "occupancy_tiers": .array(
            required: required,
            description:
                "The tier with the highest from_percent that the share of seats sold or held has reached applies",
            maxItems: rules.maxTiersPerKind,
            items: .object(properties: [
                "from_percent": bounded(rules.fromPercentBounds, "Applies once this share of sellable seats is taken"),
                "adjust_percent": bounded(rules.adjustPercentBounds, "Added to the base price, in percent"),
            ])),
        "lead_time_tiers": .array(
            required: required,
            description: "The tier with the smallest within_minutes that the start is within applies",
            maxItems: rules.maxTiersPerKind,
            items: .object(properties: [
                "within_minutes": bounded(rules.withinMinutesBounds, "Applies from this many minutes before the start"),
                "adjust_percent": bounded(rules.adjustPercentBounds, "Added to the base price, in percent"),
            ])),
        "max_adjust_percent": bounded(
            rules.maxAdjustPercentBounds, required: required,
            "The most the two adjustments together may add (default 300)"),
        "min_adjust_percent": bounded(
            rules.minAdjustPercentBounds, required: required,
            "The most the two adjustments together may take off, negative (default −90)"),
    ]
}

extension PricingRulesRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(
            description:
                "The two adjustments add up, are clamped to min…max, and the price rounds half-up to the rupee",
            properties: tiers(required: false))
    }
}

extension PricingRulesResponse: APISchema {
    static var apiSchema: JSONSchema {
        var properties = tiers(required: true)
        properties["scope"] = .enumeration(PricingRulesSource.self)
        properties["show_id"] = .string(format: .uuid, required: false, nullable: true)
        properties["updated_at"] = .timestamp
        return .object(properties: properties)
    }
}

extension ShowPricingResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "show_id": .uuid,
            "rules_source": .enumeration(PricingRulesSource.self),
            "rules": .object(required: false, nullable: true, properties: tiers(required: true)),
            "occupancy": .object(properties: [
                "occupied": .integer(description: "Sellable seats a pending or confirmed booking or a live hold has"),
                "sellable": .integer,
                "percent": .integer(description: "occupied ÷ sellable, whole percent rounded down"),
            ]),
            "minutes_before_start": .integer(description: "Negative once the show started"),
            "categories": .array(
                items: .object(properties: [
                    "category_id": .uuid, "name": .string, "display_order": .integer,
                    "base_price_minor": .integer(required: false, nullable: true, description: "Paise; null: unpriced"),
                    "price_minor": .integer(required: false, nullable: true, description: "The price now, paise"),
                    "adjust_percent": .integer(description: "The adjustment applied, after clamping"),
                ])),
            "at": .timestamp,
        ])
    }
}
