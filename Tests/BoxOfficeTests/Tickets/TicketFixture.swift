import Crypto
import Foundation
import Testing
import VaporTesting
@testable import BoxOffice

/// The payment fixture's cinema (one show two days ahead, 10:00 cinema time) with helpers for tickets and the door.
struct TicketFixture {
    let f: PaymentFixture
    var t: TestApp { f.t }
    var show: ShowResponse { f.show }

    static func make(_ t: TestApp) async throws -> TicketFixture {
        TicketFixture(f: try await PaymentFixture.make(t, events: InMemoryEventBus()))
    }

    func ticket(_ booking: UUID, _ account: TestApp.Account) async throws -> TestingHTTPResponse {
        try await t.request(.GET, "/bookings/\(booking)/ticket", token: account.accessToken)
    }

    /// A confirmed booking's ticket.
    func issued(_ labels: [String], _ account: TestApp.Account) async throws -> (BookingResponse, TicketResponse) {
        let (booking, _) = try await f.bookAndPay(labels, account)
        let response = try await ticket(booking.id, account)
        #expect(response.status == .ok, "\(response.body.string)")
        return (booking, try response.content.decode(TicketResponse.self))
    }

    func scan(_ code: String, _ account: TestApp.Account) async throws -> TestingHTTPResponse {
        try await t.request(.POST, "/checkins", json: ["code": code], token: account.accessToken)
    }

    /// Moves the clock to `offset` seconds after the doors open (2 hours before the start).
    func doorsOpen(plus offset: TimeInterval = 0) {
        t.clock.set(show.startsAt.addingTimeInterval(-2 * 3600 + offset))
    }
}

/// `withTestApp` with access tokens that outlive the moves of the clock from booking time to the show (two days).
func withDoorApp(
    configure adjust: @escaping (inout AppConfig) -> Void = { _ in }, _ test: (TestApp) async throws -> Void
) async throws {
    try await withTestApp(
        configure: {
            $0.accessTokenLifetime = 4 * 86_400
            adjust(&$0)
        }, test)
}

extension TestApp {
    /// A customer an admin made an usher with `PATCH /users/{id}`.
    func usher() async throws -> Account {
        let account = try await customer("usher-\(UUID().uuidString.prefix(8).lowercased())@example.com")
        let admin = try await admin()
        let promoted = try await request(
            .PATCH, "/users/\(account.id)", json: ["role": "usher"], token: admin.accessToken)
        #expect(promoted.status == .ok, "\(promoted.body.string)")
        return account
    }
}

/// A compact JWS taken apart and checked with nothing but a JWKS, as a door device would: independent of the
/// server's own code.
struct DoorVerifier {
    struct Key: Decodable {
        var kty: String
        var crv: String
        var kid: String
        var x: String
        var use: String
        var alg: String
    }

    let keys: [Key]

    init(jwks: Data) throws {
        struct Set: Decodable { var keys: [Key] }
        keys = try JSONDecoder().decode(Set.self, from: jwks).keys
    }

    static func base64URL(_ text: Substring) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    /// The header and payload as JSON objects when an Ed25519 key of the set verifies the signature.
    func verify(_ code: String) -> (header: [String: Any], payload: [String: Any])? {
        let parts = code.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Self.base64URL(parts[0]),
            let payloadData = Self.base64URL(parts[1]), let signature = Self.base64URL(parts[2]),
            let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any],
            let payload = try? JSONSerialization.jsonObject(with: payloadData) as? [String: Any],
            header["alg"] as? String == "EdDSA",
            let key = keys.first(where: { $0.kid == header["kid"] as? String && $0.crv == "Ed25519" }),
            let raw = Self.base64URL(Substring(key.x)),
            let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: raw),
            publicKey.isValidSignature(signature, for: Data("\(parts[0]).\(parts[1])".utf8))
        else { return nil }
        return (header, payload)
    }
}
