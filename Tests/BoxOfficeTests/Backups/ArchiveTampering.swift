import Foundation
import Testing
import ZIPFoundation

@testable import BoxOffice

// What an attacker, or a test, does to a backup ZIP.

/// Signs the archive's current `manifest.json` with `signer`, replacing its `manifest.sig`.
func resign(_ file: URL, with signer: BackupSigner) throws {
    let manifest = try entry(BackupArchive.manifestFile, in: file)
    let signature = try BackupArchive.encoder.encode(signer.sign(manifest: manifest))
    let archive = try Archive(url: file, accessMode: .update)
    if let old = archive[BackupArchive.signatureFile] { try archive.remove(old) }
    try add(signature, as: BackupArchive.signatureFile, to: archive)
}

/// Changes one table's rows and writes the manifest's hash and row count for them, leaving the old signature: what
/// someone who can write the backup repository, but lacks the key, can do.
func rewriteTable(_ table: String, in file: URL, _ change: ([TableData.Row]) -> [TableData.Row]) throws {
    let path = "tables/\(table).json"
    guard case .array(let items)? = AuditJSON.parse(try entry(path, in: file)) else {
        Issue.record("\(path) is not an array")
        return
    }
    let rows = change(items.compactMap { if case .object(let row) = $0 { row } else { nil } })
    let data = Data(AuditJSON.array(rows.map { AuditJSON.object($0) }).encoded.utf8)
    var manifest = try BackupArchive.decoder.decode(
        BackupArchive.Manifest.self, from: try entry(BackupArchive.manifestFile, in: file))
    let index = try #require(manifest.tables.firstIndex { $0.name == table })
    manifest.tables[index].sha256 = BackupArchive.sha256Hex(data)
    manifest.tables[index].rows = rows.count
    try replaceEntry(path, in: file, with: data)
    try replaceEntry(BackupArchive.manifestFile, in: file, with: try BackupArchive.encoder.encode(manifest))
}

/// Replaces an entry with `size` bytes of spaces, deflated (a few KiB per MiB); with `declaring`, both of its headers
/// then claim that many bytes unpacked instead, as a crafted ZIP would.
func replaceWithBomb(_ path: String, unpacking size: Int, declaring declared: UInt32?, in file: URL) throws {
    let archive = try Archive(url: file, accessMode: .update)
    try archive.remove(try #require(archive[path]))
    let chunk = Data(repeating: 0x20, count: 1 << 20)
    try archive.addEntry(
        with: path, type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate, bufferSize: 1 << 20
    ) { position, length in
        length == chunk.count ? chunk : Data(repeating: 0x20, count: length)
    }
    if let declared { try lie(about: path, declaring: declared, in: file) }
}

/// Rewrites the uncompressed size of `path` in its local header and its central directory record.
private func lie(about path: String, declaring size: UInt32, in file: URL) throws {
    var bytes = [UInt8](try Data(contentsOf: file))
    let name = Array(path.utf8)
    var patched = 0
    // (signature, offset of the name, offset of the uncompressed size)
    let headers: [(signature: [UInt8], nameOffset: Int, sizeOffset: Int)] = [
        ([0x50, 0x4b, 0x03, 0x04], 30, 22), ([0x50, 0x4b, 0x01, 0x02], 46, 24),
    ]
    for (signature, nameOffset, sizeOffset) in headers {
        var index = 0
        while index + nameOffset + name.count <= bytes.count {
            if bytes[index] == 0x50, bytes[index + 1] == 0x4b, Array(bytes[index..<index + 4]) == signature,
                Array(bytes[index + nameOffset..<index + nameOffset + name.count]) == name
            {
                withUnsafeBytes(of: size.littleEndian) {
                    bytes.replaceSubrange(index + sizeOffset..<index + sizeOffset + 4, with: $0)
                }
                patched += 1
            }
            index += 1
        }
    }
    #expect(patched == 2, "\(path)'s headers were not found")
    try Data(bytes).write(to: file)
}

private func add(_ data: Data, as path: String, to archive: Archive) throws {
    try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count)) { position, size in
        data.subdata(in: Int(position)..<Int(position) + size)
    }
}
