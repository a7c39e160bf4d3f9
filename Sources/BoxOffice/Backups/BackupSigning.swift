import Crypto
import Foundation

/// Signs and checks a backup's manifest with `BACKUP_SIGNING_KEY` (HMAC-SHA256).
///
/// The manifest names every table file's SHA-256, so signing it covers every byte of the archive: whoever can write
/// the GitHub repository (or hand an operator a file) cannot edit `users.json` and recompute the hashes. The signature
/// is `manifest.sig` in the ZIP: `{algorithm, key_id, signature}`, over a fixed prefix and the manifest's exact bytes.
struct BackupSigner: Sendable {
    static let algorithm = "HMAC-SHA256"
    /// Keeps this MAC from meaning anything outside BoxOffice backups of this format.
    private static let domain = Data("boxoffice-backup-manifest-v1\n".utf8)

    struct Signature: Codable, Sendable, Equatable {
        var algorithm: String
        /// Which key signed it (a MAC of a fixed text, never the key), so "signed with another server's key" reads
        /// as that, not as tampering.
        var keyID: String
        var signature: String

        enum CodingKeys: String, CodingKey {
            case algorithm
            case keyID = "key_id"
            case signature
        }
    }

    private let key: SymmetricKey
    let keyID: String

    init(key: String) {
        self.key = SymmetricKey(data: Data(key.utf8))
        let id = HMAC<SHA256>.authenticationCode(for: Data("boxoffice backup key id".utf8), using: self.key)
        keyID = String(Self.hex(id).prefix(16))
    }

    func sign(manifest: Data) -> Signature {
        Signature(
            algorithm: Self.algorithm, keyID: keyID,
            signature: Self.hex(HMAC<SHA256>.authenticationCode(for: Self.domain + manifest, using: key)))
    }

    /// Throws 422 `backup_signature_invalid` unless `signature` is this key's MAC of exactly these manifest bytes.
    func verify(manifest: Data, signature: Signature) throws {
        guard signature.algorithm == Self.algorithm else {
            throw BackupError.signatureInvalid(
                "The archive is signed with \(signature.algorithm), not \(Self.algorithm).")
        }
        guard let mac = Self.bytes(hex: signature.signature),
            HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: Self.domain + manifest, using: key)
        else {
            if signature.keyID != keyID {
                throw BackupError.signatureInvalid(
                    "The archive was signed with another key (key id \(signature.keyID.prefix(16)); this server's is "
                        + "\(keyID)): it was not made with this server's BACKUP_SIGNING_KEY.")
            }
            throw BackupError.signatureInvalid("The manifest does not match its signature: the archive was changed.")
        }
    }

    private static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    private static func bytes(hex: String) -> Data? {
        let characters = Array(hex.utf8)
        guard characters.count == 64 else { return nil }
        var data = Data(capacity: 32)
        for index in stride(from: 0, to: characters.count, by: 2) {
            guard let byte = UInt8(String(decoding: characters[index..<index + 2], as: UTF8.self), radix: 16) else {
                return nil
            }
            data.append(byte)
        }
        return data
    }
}

/// How much a restore may unpack: each entry and all of them together (`BACKUP_MAX_ENTRY_BYTES`,
/// `BACKUP_MAX_TOTAL_BYTES`). The manifest and its signature are read before anything is trusted, so they have small
/// caps of their own.
struct BackupLimits: Sendable, Equatable {
    var maxEntryBytes: Int
    var maxTotalBytes: Int
    var maxManifestBytes = 4 << 20
    var maxSignatureBytes = 4 << 10
}
