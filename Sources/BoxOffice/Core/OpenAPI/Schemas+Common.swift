import OpenAPIKit
import Rules

extension JSONSchema {
    static let uuid = JSONSchema.string(format: .uuid)
    static let timestamp = JSONSchema.string(format: .dateTime, description: "ISO 8601, UTC")
    static let nullableTimestamp = JSONSchema.string(format: .dateTime, required: false, nullable: true)

    static func enumeration<T: RawRepresentable & CaseIterable>(_ type: T.Type, required: Bool = true) -> JSONSchema
    where T.RawValue == String {
        .string(required: required, allowedValues: type.allCases.map { .init($0.rawValue) })
    }
}

extension ProblemDetails: APISchema {
    static var apiSchema: JSONSchema {
        .object(
            description: "RFC 9457 problem details",
            properties: [
                "type": .string(description: "A URI naming the kind of problem"),
                "title": .string,
                "status": .integer,
                "detail": .string,
                "code": .reference(.component(named: "ErrorCode")),
                "request_id": .string,
                "errors": .array(required: false, items: .reference(.component(named: "FieldError"))),
                "seat_ids": .array(
                    required: false, description: "With seats_unavailable: the seats that are taken",
                    items: .string(format: .uuid)),
                "booking_status": .string(
                    required: false, description: "With booking_not_confirmed and not_admissible: the booking's status",
                    allowedValues: BookingStatus.allCases.map { .init($0.rawValue) }),
                "admitted_at": .string(
                    format: .dateTime, required: false,
                    description: "With already_admitted: when the ticket was first admitted"),
            ])
    }
}

extension ErrorCode: APISchema {
    /// Every code the server sends, so clients can switch over them; `ErrorCode.swift` says what each means.
    static var apiSchema: JSONSchema {
        .string(
            description: "Stable machine-readable code, e.g. validation_failed, seats_unavailable",
            allowedValues: allCases.map { .init($0.rawValue) })
    }
}

extension FieldError: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: ["field": .string, "message": .string])
    }
}

extension HealthResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "status": .string(allowedValues: "ok", "unavailable"),
            "checks": .object(required: false, additionalProperties: .init(.string)),
        ])
    }
}

extension JSONSchema {
    /// An exact amount in minor units (paise): `25000` is ₹250.00; a 64-bit integer on the wire.
    static func minor(_ description: String = "Amount in minor units (paise)", required: Bool = true) -> JSONSchema {
        .integer(format: .int64, required: required, description: description, minimum: (0, exclusive: false))
    }

    /// A percentage with at most two decimals, e.g. 2.5.
    static func percent(required: Bool = true) -> JSONSchema {
        .number(
            required: required, description: "Percent, at most two decimals", maximum: (100, exclusive: false),
            minimum: (0, exclusive: false))
    }
}
