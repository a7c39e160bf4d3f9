import Crypto
import Foundation
import ZIPFoundation

/// The backup file: one ZIP with `manifest.json` and one `tables/<name>.json` per table (an array of row objects).
///
/// The manifest names the format version, the applied migrations, the time it was taken, and each table's file,
/// row count, columns and SHA-256, so a restore can check every byte and the schema before it changes anything.
enum BackupArchive {
    static let formatVersion = 1

    struct Manifest: Codable, Sendable, Equatable {
        struct Table: Codable, Sendable, Equatable {
            var name: String
            var file: String
            var rows: Int
            var sha256: String
            var columns: [TableCatalog.Column]
        }

        var formatVersion: Int
        var createdAt: Date
        var database: String
        var migrations: [String]
        var note: String?
        /// Parents first, the order a restore fills them.
        var tables: [Table]

        enum CodingKeys: String, CodingKey {
            case formatVersion = "format_version"
            case createdAt = "created_at"
            case database, migrations, note, tables
        }
    }

    /// What a verified archive holds.
    struct Contents: Sendable {
        var manifest: Manifest
        var rows: [String: [TableData.Row]]
    }

    /// Writes the archive to `url` (which must not exist), its manifest signed by `signer`. Blocking: call it off the
    /// event loop.
    static func write(
        to url: URL, catalog: TableCatalog, migrations: [String], rows: [String: [TableData.Row]], note: String?,
        createdAt: Date, signer: BackupSigner
    ) throws -> Manifest {
        let archive = try Archive(url: url, accessMode: .create)
        var tables: [Manifest.Table] = []
        for name in catalog.tables {
            let data = Data(AuditJSON.array((rows[name] ?? []).map { AuditJSON.object($0) }).encoded.utf8)
            let file = "tables/\(name).json"
            try add(data, as: file, to: archive)
            tables.append(
                Manifest.Table(
                    name: name, file: file, rows: rows[name]?.count ?? 0, sha256: sha256Hex(data),
                    columns: catalog.columns[name] ?? []))
        }
        let manifest = Manifest(
            formatVersion: formatVersion, createdAt: createdAt, database: catalog.isPostgres ? "postgresql" : "sqlite",
            migrations: migrations, note: note, tables: tables)
        let manifestData = try encoder.encode(manifest)
        try add(manifestData, as: manifestFile, to: archive)
        try add(try encoder.encode(signer.sign(manifest: manifestData)), as: signatureFile, to: archive)
        return manifest
    }

    static let manifestFile = "manifest.json"
    static let signatureFile = "manifest.sig"

    /// Opens and checks an archive: a ZIP whose `manifest.json` carries this server's signature (checked before
    /// anything else is read), a manifest of a known format version, every table file present with the checksum and
    /// row count the manifest names. Every entry is inflated with a running count against `limits` (a header's
    /// declared size is checked first but never trusted), and a table is held in memory only after its bytes proved
    /// to be the ones the signed manifest names: a zip bomb is refused without being allocated. Blocking: call it off
    /// the event loop.
    static func read(_ url: URL, signer: BackupSigner, limits: BackupLimits) throws -> Contents {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw BackupError.invalidArchive("The file is not a ZIP archive.")
        }
        var reader = CappedReader(archive: archive, limits: limits)
        let manifestData = try reader.load(manifestFile, cap: min(limits.maxManifestBytes, limits.maxEntryBytes))
        guard archive[signatureFile] != nil else { throw BackupError.unsigned }
        let signatureData = try reader.load(signatureFile, cap: limits.maxSignatureBytes)
        guard let signature = try? decoder.decode(BackupSigner.Signature.self, from: signatureData) else {
            throw BackupError.signatureInvalid("\(signatureFile) is not a signature.")
        }
        try signer.verify(manifest: manifestData, signature: signature)
        let manifest = try decodeManifest(manifestData)
        try reader.checkDeclaredSizes(manifest.tables.map(\.file))
        var rows: [String: [TableData.Row]] = [:]
        for table in manifest.tables {
            let data = try reader.loadVerified(table.file, sha256: table.sha256)
            guard case .array(let items)? = AuditJSON.parse(data) else {
                throw BackupError.invalidArchive("\(table.file) is not a JSON array.")
            }
            let objects = try items.map { item -> TableData.Row in
                guard case .object(let object) = item else {
                    throw BackupError.invalidArchive("\(table.file) holds something other than rows.")
                }
                return object
            }
            guard objects.count == table.rows else {
                throw BackupError.invalidArchive(
                    "\(table.file) holds \(objects.count) rows; the manifest says \(table.rows).")
            }
            rows[table.name] = objects
        }
        return Contents(manifest: manifest, rows: rows)
    }

    private static func decodeManifest(_ data: Data) throws -> Manifest {
        do {
            // The version first, so a future format's other changes are reported as what they are.
            struct Version: Decodable {
                var formatVersion: Int
                enum CodingKeys: String, CodingKey { case formatVersion = "format_version" }
            }
            let version = try decoder.decode(Version.self, from: data).formatVersion
            guard version == formatVersion else {
                throw BackupError.schema(
                    "The backup's format version is \(version); this server reads version \(formatVersion).")
            }
            return try decoder.decode(Manifest.self, from: data)
        } catch let error as APIError {
            throw error
        } catch {
            throw BackupError.invalidArchive("manifest.json is not a valid manifest.")
        }
    }

    static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// SHA-256 of a file, read in chunks.
    static func sha256Hex(of url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    private static func add(_ data: Data, as path: String, to archive: Archive) throws {
        try archive.addEntry(
            with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
        ) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
