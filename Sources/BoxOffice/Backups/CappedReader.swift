import Crypto
import Foundation
import ZIPFoundation

/// Reads a backup ZIP's entries under `BackupLimits`: each entry and the running total of everything unpacked.
///
/// A ZIP header's sizes can lie, so they are only a first check: every entry is inflated in 64 KiB chunks with a
/// running count, and the read stops (422 `backup_too_large`) the moment a cap is passed. `loadVerified` inflates a
/// table twice, first only counting and hashing (nothing kept), then into memory once the bytes match the signed
/// manifest's SHA-256; so an entry that unpacks to a gigabyte costs a gigabyte of inflating, never of memory.
struct CappedReader {
    let archive: Archive
    let limits: BackupLimits
    /// Bytes unpacked so far, across entries (a table's second pass is not counted twice).
    private(set) var unpacked = 0

    init(archive: Archive, limits: BackupLimits) {
        self.archive = archive
        self.limits = limits
    }

    private struct Overflow: Error {}

    /// The entry's bytes, at most `cap` (and what the total has left).
    mutating func load(_ path: String, cap: Int) throws -> Data {
        var data = Data()
        let count = try stream(path, cap: min(cap, limits.maxTotalBytes - unpacked)) { data.append($0) }
        unpacked += count
        return data
    }

    /// Before inflating anything large: the sizes the headers declare must fit the caps.
    func checkDeclaredSizes(_ paths: [String]) throws {
        var total = UInt64(unpacked)
        for path in paths {
            let declared = try entry(path).uncompressedSize
            total += declared
            guard declared <= UInt64(limits.maxEntryBytes) else {
                throw BackupError.tooLarge(
                    "\(path) declares \(declared) bytes unpacked; BACKUP_MAX_ENTRY_BYTES is \(limits.maxEntryBytes).")
            }
            guard total <= UInt64(limits.maxTotalBytes) else {
                throw BackupError.tooLarge(
                    "The archive declares more than \(limits.maxTotalBytes) bytes unpacked (BACKUP_MAX_TOTAL_BYTES).")
            }
        }
    }

    /// The entry's bytes, once a first pass that keeps nothing showed they are within the caps and hash to `sha256`.
    mutating func loadVerified(_ path: String, sha256 expected: String) throws -> Data {
        var hasher = SHA256()
        let cap = min(limits.maxEntryBytes, limits.maxTotalBytes - unpacked)
        let count = try stream(path, cap: cap) { hasher.update(data: $0) }
        guard Self.hex(hasher.finalize()) == expected else {
            throw BackupError.invalidArchive("The checksum of \(path) does not match the manifest.")
        }
        unpacked += count
        var data = Data(capacity: count)
        var second = SHA256()
        _ = try stream(path, cap: count) {
            second.update(data: $0)
            data.append($0)
        }
        // The file could have changed between the passes; what is kept is what was checked.
        guard data.count == count, Self.hex(second.finalize()) == expected else {
            throw BackupError.invalidArchive("\(path) changed while it was read.")
        }
        return data
    }

    private func entry(_ path: String) throws -> Entry {
        guard let entry = archive[path], entry.type == .file else {
            throw BackupError.invalidArchive("The archive has no \(path).")
        }
        return entry
    }

    /// Inflates the entry through `consume`, throwing as soon as more than `cap` bytes came out.
    private func stream(_ path: String, cap: Int, _ consume: (Data) -> Void) throws -> Int {
        let entry = try entry(path)
        let tooLarge = BackupError.tooLarge(
            "\(path) unpacks to more than the \(max(cap, 0)) bytes it may (BACKUP_MAX_ENTRY_BYTES is "
                + "\(limits.maxEntryBytes), BACKUP_MAX_TOTAL_BYTES \(limits.maxTotalBytes)).")
        guard cap >= 0, entry.uncompressedSize <= UInt64(cap) else { throw tooLarge }
        var count = 0
        do {
            _ = try archive.extract(entry, bufferSize: 64 << 10, skipCRC32: true) { chunk in
                count += chunk.count
                guard count <= cap else { throw Overflow() }
                consume(chunk)
            }
        } catch is Overflow {
            throw tooLarge
        } catch {
            throw BackupError.invalidArchive("\(path) is damaged (\(error)).")
        }
        return count
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
