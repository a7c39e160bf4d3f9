import Crypto
import Foundation

/// What a ticket's code says, signed: the booking, its show, its seats and when the door may admit it.
struct TicketClaims: Codable, Sendable, Equatable {
    /// The booking (`bid`).
    var bookingID: UUID
    /// The show (`sid`).
    var showID: UUID
    /// The booking's reference, for a door device to show.
    var reference: String
    var seats: [String]
    /// The admission window in seconds since 1970: it opens (`nbf`) 2 hours before the start and closes (`exp`)
    /// when the show ends.
    var notBefore: Int
    var expires: Int

    enum CodingKeys: String, CodingKey {
        case bookingID = "bid"
        case showID = "sid"
        case reference = "ref"
        case seats
        case notBefore = "nbf"
        case expires = "exp"
    }
}

/// A ticket's `code`: a compact JWS (RFC 7515) signed with Ed25519 (`alg: EdDSA`, RFC 8037), its header naming the
/// key (`kid`) so a door device picks the right public key from `GET /tickets/keys`. Ed25519 is deterministic, so a
/// booking's code is the same every time it is asked for.
enum TicketCode {
    /// Longer than any code this server signs (a full 10-seat ticket is about 500 characters); anything longer is
    /// refused before it is parsed.
    static let maxLength = 2048

    private struct Header: Codable {
        var alg: String
        var kid: String
        var typ: String?
    }

    static func sign(_ claims: TicketClaims, with keys: TicketKeyring) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let header = Base64URL.encode(try encoder.encode(Header(alg: "EdDSA", kid: keys.signingKID, typ: "JWT")))
        let payload = Base64URL.encode(try encoder.encode(claims))
        let input = "\(header).\(payload)"
        return "\(input).\(Base64URL.encode(try keys.sign(Data(input.utf8))))"
    }

    /// The claims of a code one of `keys` signed; nil for anything else (malformed, another algorithm, an unknown
    /// key, a signature that does not verify, a payload that is not a ticket's). The window is not checked here.
    static func verify(_ code: String, with keys: TicketKeyring) -> TicketClaims? {
        guard code.utf8.count <= maxLength,
            code.utf8.allSatisfy({ isBase64URL($0) || $0 == UInt8(ascii: ".") })
        else { return nil }
        let parts = code.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Base64URL.decode(parts[0]),
            let payloadData = Base64URL.decode(parts[1]), let signature = Base64URL.decode(parts[2]),
            let header = try? JSONDecoder().decode(Header.self, from: headerData),
            header.alg == "EdDSA", let key = keys.key(header.kid),
            key.isValidSignature(signature, for: Data("\(parts[0]).\(parts[1])".utf8)),
            let claims = try? JSONDecoder().decode(TicketClaims.self, from: payloadData)
        else { return nil }
        // A `crit` header asks for processing this server does not do (RFC 7515 §4.1.11): refuse it.
        guard (try? JSONSerialization.jsonObject(with: headerData) as? [String: Any])?["crit"] == nil else {
            return nil
        }
        return claims
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}
