import Foundation
import Vapor

/// Where the Ed25519 keys that sign tickets come from. Never printed: the description names no key material.
public enum TicketSigningKeys: Sendable, Equatable, CustomStringConvertible {
    /// `TICKET_SIGNING_KEY`: 32-byte Ed25519 seeds. The first signs every ticket; every one of them verifies, so a
    /// retired key keeps admitting the tickets it signed while the next one signs new tickets.
    case seeds([Data])
    /// Development and testing without `TICKET_SIGNING_KEY`: one key, generated at first start and kept in this file.
    case file(path: String)

    /// Next to the SQLite file, the uploads and the backups of a development checkout.
    public static let defaultFile = "data/ticket-signing.key"

    public var description: String {
        switch self {
        case .seeds(let seeds): return "TICKET_SIGNING_KEY (\(seeds.count) key(s))"
        case .file(let path): return "generated key in \(path)"
        }
    }

    /// One Ed25519 seed as `TICKET_SIGNING_KEY` and the key file spell it: base64url (or base64), padding optional,
    /// decoding to exactly 32 bytes.
    static func seed(_ text: String) -> Data? {
        guard let data = Base64URL.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)), data.count == 32
        else { return nil }
        return data
    }
}

extension EnvironmentReader {
    /// `TICKET_SIGNING_KEY`: a comma-separated list of base64url Ed25519 seeds, the first signing. Required outside
    /// development and testing (tickets signed by a key that changes on every deploy would stop verifying); there,
    /// without it, a key is generated once into the data folder.
    mutating func ticketSigningKeys(environment: Environment) -> TicketSigningKeys {
        let entries = list("TICKET_SIGNING_KEY")
        guard !entries.isEmpty else {
            if ![.development, .testing].contains(environment) {
                problem(
                    "TICKET_SIGNING_KEY must be set in \(environment.name): a base64url Ed25519 seed of 32 bytes "
                        + "(e.g. `openssl rand 32 | basenc --base64url`) that signs tickets")
            }
            return .file(path: TicketSigningKeys.defaultFile)
        }
        var seeds: [Data] = []
        for (index, entry) in entries.enumerated() {
            // Never echo the value: it is a private key.
            guard let seed = TicketSigningKeys.seed(entry) else {
                problem(
                    "TICKET_SIGNING_KEY entry \(index + 1) is not valid: expected a base64url Ed25519 seed of 32 bytes")
                continue
            }
            seeds.append(seed)
        }
        if Set(seeds).count != seeds.count { problem("TICKET_SIGNING_KEY lists the same key twice") }
        return .seeds(seeds)
    }
}

/// Base64url without padding (RFC 4648 §5), as JOSE spells every binary value.
enum Base64URL {
    static func encode(_ data: some DataProtocol) -> String {
        Data(data).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Also takes standard base64 and padding; nil for any other character.
    static func decode(_ text: some StringProtocol) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard base64.utf8.count % 4 != 1 else { return nil }
        while base64.utf8.count % 4 != 0 { base64.append("=") }
        return Data(base64Encoded: base64)
    }
}
