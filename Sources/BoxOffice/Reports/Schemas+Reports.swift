import OpenAPIKit

extension JSONSchema {
    /// An exact amount in minor units that may be negative (a day with more refunds than sales).
    fileprivate static func signedMinor(_ description: String) -> JSONSchema {
        .integer(format: .int64, description: description)
    }

    fileprivate static let count = JSONSchema.integer(minimum: (0, exclusive: false))

    /// Sold of on sale, one decimal, half-up; above 100 only if seats on sale were since taken out of the layout.
    fileprivate static let occupancy = JSONSchema.number(
        description: "Percent with one decimal, e.g. 62.5", minimum: (0, exclusive: false))
}

private let salesFigures: OrderedDictionary<String, JSONSchema> = [
    "bookings": .integer(description: "Completed payments, each paying one booking", minimum: (0, exclusive: false)),
    "tickets": .integer(description: "Seats of those bookings", minimum: (0, exclusive: false)),
    "gross_minor": .minor("Seats at their show prices, before the discount, in paise"),
    "discount_minor": .minor("Promo discounts, in paise"),
    "food_minor": .minor("Food at its prices, before the discount, in paise"),
    "cgst_minor": .minor("CGST charged, in paise"),
    "sgst_minor": .minor("SGST charged, in paise"),
    "paid_minor": .minor("Completed payments: gross + food − discount + CGST + SGST, in paise"),
    "refunds_minor": .minor("Refunds completed in the range, in paise"),
    "net_minor": .signedMinor("paid_minor − refunds_minor, in paise"),
]

extension SalesReportResponse: APISchema {
    static var apiSchema: JSONSchema {
        var row = salesFigures
        row["key"] = .string(description: "The business day (YYYY-MM-DD), or the id of the movie, show or screen")
        row["label"] = .string(
            description: "The date, the movie's title, the show (title · date time · screen), or the screen's name")
        return .object(
            description:
                "Sales are counted on the business day their payment completed, refunds on the day they completed "
                + "(pending refunds are not counted); totals.net_minor equals the completed payments minus the "
                + "completed refunds of the range",
            properties: [
                "from": .string(format: .date), "to": .string(format: .date),
                "group_by": .string(allowedValues: "day", "movie", "show", "screen"),
                "time_zone": .string(description: "The cinema's time zone, which the business days are in"),
                "currency": .string,
                "rows": .array(items: .object(properties: row)),
                "totals": .object(properties: salesFigures),
            ])
    }

    static let csvSchema = SchemaRef(
        name: "SalesReportCSV",
        schema: .string(
            description:
                "CSV: a header line (key,label,bookings,tickets,gross_minor,discount_minor,food_minor,cgst_minor,"
                + "sgst_minor,paid_minor,refunds_minor,net_minor), one line per row, then a TOTAL line; sent as an "
                + "attachment named sales-FROM-TO.csv"))
}

private let gstFigures = JSONSchema.object(properties: [
    "taxable_value_minor": .signedMinor("Taxable value, in paise"),
    "cgst_minor": .signedMinor("CGST, in paise"),
    "sgst_minor": .signedMinor("SGST, in paise"),
])

extension GSTReportResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(
            description:
                "Lines of bookings whose payment completed in the month, less refunds completed in the month; a refund "
                + "takes back each line in proportion (floored), its leftover paise from the booking's highest ticket slab",
            properties: [
                "month": .string(description: "YYYY-MM"), "from": .string(format: .date), "to": .string(format: .date),
                "time_zone": .string, "currency": .string,
                "rows": .array(
                    items: .object(properties: [
                        "supply": .string(allowedValues: "ticket", "food"),
                        "cgst_rate": .percent(), "sgst_rate": .percent(),
                        "taxable_value_minor": .signedMinor("Net of refunds: what is filed, in paise"),
                        "cgst_minor": .signedMinor("Net of refunds, in paise"),
                        "sgst_minor": .signedMinor("Net of refunds, in paise"),
                        "sales": gstFigures, "refunds": gstFigures,
                    ])),
                "totals": .object(properties: [
                    "taxable_value_minor": .signedMinor("Net, in paise"), "cgst_minor": .signedMinor("Net, in paise"),
                    "sgst_minor": .signedMinor("Net, in paise"), "sales": gstFigures, "refunds": gstFigures,
                    "ledger_payments_minor": .minor("Payments completed in the month, in paise"),
                    "ledger_refunds_minor": .minor("Refunds completed in the month, in paise"),
                ]),
            ])
    }

    static let csvSchema = SchemaRef(
        name: "GSTReportCSV",
        schema: .string(
            description:
                "CSV: supply,cgst_rate,sgst_rate, the net taxable value, CGST and SGST, then the sales and the refunds "
                + "parts; a TOTAL line last; sent as an attachment named gst-YYYY-MM.csv"))
}

extension OccupancyReportResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "date": .string(format: .date), "time_zone": .string,
            "rows": .array(
                items: .object(properties: [
                    "show_id": .uuid, "movie_title": .string, "screen_name": .string, "starts_at": .timestamp,
                    "show_time": .string(description: "HH:mm, cinema time"),
                    "status": .string(allowedValues: "SCHEDULED", "CANCELLED"),
                    "seats_on_sale": .count,
                    "sold": .integer(description: "Seats of confirmed bookings", minimum: (0, exclusive: false)),
                    "admitted": .integer(description: "People checked in at the door", minimum: (0, exclusive: false)),
                    "occupancy_percent": .occupancy,
                ])),
            "totals": .object(
                description: "Over the scheduled shows (cancelled ones are listed but not counted)",
                properties: [
                    "shows": .count, "seats_on_sale": .count, "sold": .count, "admitted": .count,
                    "occupancy_percent": .occupancy,
                ]),
        ])
    }

    static let csvSchema = SchemaRef(
        name: "OccupancyReportCSV",
        schema: .string(
            description:
                "CSV: one line per show (show_id,movie_title,screen_name,starts_at,show_time,status,seats_on_sale,"
                + "sold,admitted,occupancy_percent), then a TOTAL line; an attachment named occupancy-DATE.csv"))
}
