import OpenAPIKit

private let seatLabels = JSONSchema.array(
    description: "Seat labels as the seat map shows them (F5), in row and number order", items: .string)

extension TicketResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "booking_id": .uuid,
            "reference": .string(description: "The booking's reference, e.g. BX-7K2M9Q"),
            "movie_title": .string,
            "starts_at": .timestamp,
            "screen_name": .string,
            "seats": seatLabels,
            "admits": .integer(description: "People the ticket admits (its seats)"),
            "valid_from": .string(format: .dateTime, description: "Admission opens: 2 hours before the start"),
            "valid_until": .string(format: .dateTime, description: "Admission closes: when the show ends"),
            "code": .string(
                description: "Compact JWS (EdDSA/Ed25519; header kid) with bid, sid, ref, seats, nbf and exp; show it "
                    + "as a QR code and verify it with GET /tickets/keys"),
        ])
    }
}

extension TicketKeySet: APISchema {
    static var apiSchema: JSONSchema {
        .object(
            description: "JWK Set (RFC 7517) of the Ed25519 public keys (RFC 8037); the first signs new tickets",
            properties: [
                "keys": .array(
                    items: .object(properties: [
                        "kty": .string(allowedValues: "OKP"),
                        "crv": .string(allowedValues: "Ed25519"),
                        "kid": .string(description: "The key's id, as tickets' JWS headers name it"),
                        "x": .string(description: "The 32-byte public key, base64url"),
                        "use": .string(allowedValues: "sig"),
                        "alg": .string(allowedValues: "EdDSA"),
                    ]))
            ])
    }
}

extension CheckInRequest: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "code": .string(
                description: "The ticket's code as scanned from its QR (base64url segments joined by dots)",
                maxLength: TicketCode.maxLength, pattern: "^[A-Za-z0-9_.-]*$")
        ])
    }
}

extension CheckInResponse: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "booking_id": .uuid,
            "reference": .string,
            "movie_title": .string,
            "starts_at": .timestamp,
            "screen_name": .string,
            "seats": seatLabels,
            "admits": .integer(description: "People to let in (the booking's seats)"),
            "admitted_at": .timestamp,
        ])
    }
}

extension ShowCheckInCounts: APISchema {
    static var apiSchema: JSONSchema {
        .object(properties: [
            "show_id": .uuid,
            "admitted": .integer(description: "People admitted so far (each admitted ticket counts its seats)"),
            "sold": .integer(description: "Seats of confirmed bookings"),
        ])
    }
}
