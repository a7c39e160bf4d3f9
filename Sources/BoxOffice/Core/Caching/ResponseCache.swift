import NIOConcurrencyHelpers
import Vapor

/// Encoded answers of public read routes (the movie list, a day's shows, the menu), kept per URL while the catalog
/// version is unchanged and for at most `lifetime` (so a value computed from the time of day, such as `is_on_sale`,
/// is never older than that). Answers carry an `ETag`; a matching `If-None-Match` gets a 304 with no body.
final class ResponseCache: Sendable {
    struct Entry: Sendable {
        var body: ByteBuffer
        var etag: String
    }

    private let freshness: Freshness
    private let lifetime: Duration
    private let entries: VersionedCache<String, Entry>

    init(freshness: Freshness, lifetime: Duration = .seconds(1), capacity: Int = 512) {
        self.freshness = freshness
        self.lifetime = lifetime
        self.entries = VersionedCache(lifetime: lifetime, capacity: capacity)
    }

    /// The cached answer for this request's path and query, or `build`'s answer encoded and kept.
    func respond<Value: Encodable & Sendable>(
        to req: Request, build: @escaping @Sendable () async throws -> Value
    ) async throws -> Response {
        let entry = try await entries.value(
            req.pathOnce + "?" + (req.url.query ?? ""), version: freshness.version(.catalog)
        ) {
            let data = try JSONEncoder.api.encode(try await build())
            return Entry(body: ByteBuffer(data: data), etag: ETag.quoted(data))
        }
        return Self.response(entry.body, etag: entry.etag, to: req, cacheControl: cacheControl)
    }

    /// Public, and short enough that browsers and proxies ask again soon (with `If-None-Match`).
    private var cacheControl: String { "public, max-age=\(max(1, lifetime.components.seconds))" }

    /// A 200 with the body, or a 304 when the client already has this version.
    static func response(_ body: ByteBuffer, etag: String, to req: Request, cacheControl: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .eTag, value: etag)
        headers.replaceOrAdd(name: .cacheControl, value: cacheControl)
        if ETag.matches(etag, req.headers.first(name: .ifNoneMatch)) {
            return Response(status: .notModified, headers: headers)
        }
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: body))
    }
}

/// A stable, cheap content hash for ETags (64 bit, FNV-1a-like): the same body gives the same tag on every instance.
enum ETag {
    static func hex(_ data: Data) -> String {
        String(data.withUnsafeBytes { hash($0) }, radix: 16)
    }

    /// FNV-1a's step taken a 64-bit word at a time (then the remaining bytes one by one), with a final mix: eight times
    /// fewer dependent multiplies than byte-wise FNV-1a over a 1,000-seat map's 150 KB, hashed on every seat-map answer
    /// (the on-sale rush's profile had `seatMap` at 8 % of the server's CPU, this loop most of its own time). Each
    /// step is a bijection of the running value, so any one changed word changes the tag. Not a secure hash: an
    /// ETag only needs to tell versions apart.
    static func hash(_ bytes: [UInt8], seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        bytes.withUnsafeBytes { hash($0, seed: seed) }
    }

    static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        let prime: UInt64 = 0x100_0000_01b3
        var hash = seed
        var offset = 0
        while offset + 8 <= bytes.count {
            hash ^= bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            hash &*= prime
            hash ^= hash >> 29
            offset += 8
        }
        while offset < bytes.count {
            hash ^= UInt64(bytes[offset])
            hash &*= prime
            offset += 1
        }
        hash ^= UInt64(bytes.count)
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }

    static func quoted(_ data: Data) -> String { "\"\(hex(data))\"" }

    /// Whether an `If-None-Match` header names this tag (or is `*`).
    static func matches(_ etag: String, _ ifNoneMatch: String?) -> Bool {
        guard let ifNoneMatch else { return false }
        return ifNoneMatch.split(separator: ",").contains { candidate in
            let trimmed = candidate.trimmingCharacters(in: .whitespaces)
            return trimmed == etag || trimmed == "W/\(etag)" || trimmed == "*"
        }
    }
}
