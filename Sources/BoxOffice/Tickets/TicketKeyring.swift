import Crypto
import Foundation
import Logging

/// The Ed25519 keys of tickets: the first signs, every one verifies (rotation), and the public halves are published
/// as a JWKS so a door device can check a ticket offline. Its description names key ids only, never key material.
struct TicketKeyring: Sendable, CustomStringConvertible {
    struct VerifyingKey: Sendable {
        let kid: String
        let key: Curve25519.Signing.PublicKey
    }

    private let signer: Curve25519.Signing.PrivateKey
    /// The signing key's id, first in `verifying`.
    let signingKID: String
    /// Every key that verifies, the signing one first.
    let verifying: [VerifyingKey]

    init(seeds: [Data]) throws {
        let keys = try seeds.map { try Curve25519.Signing.PrivateKey(rawRepresentation: $0) }
        guard let first = keys.first else { throw TicketKeyError.noKey }
        signer = first
        verifying = keys.map { VerifyingKey(kid: Self.kid(for: $0.publicKey), key: $0.publicKey) }
        signingKID = verifying[0].kid
    }

    var description: String { "TicketKeyring(signs: \(signingKID), verifies: \(verifying.map(\.kid)))" }

    /// The key `TICKET_SIGNING_KEY` names, or the development key file's (made on first use).
    static func load(_ source: TicketSigningKeys, logger: Logger) throws -> TicketKeyring {
        switch source {
        case .seeds(let seeds):
            return try TicketKeyring(seeds: seeds)
        case .file(let path):
            let (seed, created) = try readOrCreate(path)
            let keyring = try TicketKeyring(seeds: [seed])
            if created {
                logger.notice(
                    "generated a ticket signing key for development; set TICKET_SIGNING_KEY in production",
                    metadata: ["path": .string(path), "kid": .string(keyring.signingKID)])
            }
            return keyring
        }
    }

    func sign(_ message: Data) throws -> Data {
        try signer.signature(for: message)
    }

    func key(_ kid: String) -> Curve25519.Signing.PublicKey? {
        verifying.first { $0.kid == kid }?.key
    }

    /// The public keys as a JWK Set (RFC 7517, `OKP`/`Ed25519` as RFC 8037 spells them).
    var jwks: TicketKeySet {
        TicketKeySet(
            keys: verifying.map {
                TicketKeySet.Key(kid: $0.kid, x: Base64URL.encode($0.key.rawRepresentation))
            })
    }

    /// The first 16 characters of the key's RFC 7638 JWK thumbprint: derived, so no key id needs configuring, and
    /// anyone holding the JWKS can recompute it.
    static func kid(for key: Curve25519.Signing.PublicKey) -> String {
        let canonical = #"{"crv":"Ed25519","kty":"OKP","x":"\#(Base64URL.encode(key.rawRepresentation))"}"#
        return String(Base64URL.encode(Data(SHA256.hash(data: Data(canonical.utf8)))).prefix(16))
    }

    /// Reads the seed kept at `path`, or writes a new one there (owner-only) when there is none. Two processes
    /// starting at once agree: the file appears whole, by a hard link that fails if it already exists.
    static func readOrCreate(_ path: String) throws -> (seed: Data, created: Bool) {
        if let seed = try read(path) { return (seed, false) }
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(
            at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let seed = Curve25519.Signing.PrivateKey().rawRepresentation
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)").path
        defer { unlink(temporary) }
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw TicketKeyError.unwritable(path) }
        let text = Array((Base64URL.encode(seed) + "\n").utf8)
        let written = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == text.count else { throw TicketKeyError.unwritable(path) }
        if link(temporary, path) == 0 { return (seed, true) }
        // Another process made it first: use that one.
        guard let existing = try read(path) else { throw TicketKeyError.unwritable(path) }
        return (existing, false)
    }

    private static func read(_ path: String) throws -> Data? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let seed = TicketSigningKeys.seed(text) else { throw TicketKeyError.unreadable(path) }
        return seed
    }
}

enum TicketKeyError: Error, CustomStringConvertible {
    case noKey
    case unwritable(String)
    case unreadable(String)

    var description: String {
        switch self {
        case .noKey: return "TICKET_SIGNING_KEY names no key"
        case .unwritable(let path): return "cannot write the ticket signing key file \(path)"
        case .unreadable(let path):
            return "the ticket signing key file \(path) does not hold a base64url Ed25519 seed of 32 bytes"
        }
    }
}
