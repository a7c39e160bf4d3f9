import Foundation

/// The `{before, after}` of one audited change, as stored: secrets removed, and at most `maxBytes` of JSON text.
///
/// Audit rows are kept for years and read by people who may not see secrets, so anything whose key looks like a
/// credential is dropped before it is stored, at every depth, whatever route it came from.
enum AuditSummary {
    static let maxBytes = 4_096

    /// Key fragments that mark a value as a secret (compared lower-cased). `hash` covers `password_hash`.
    static let sensitiveKeyFragments = [
        "password", "passwd", "secret", "token", "authorization", "api_key", "apikey", "signature", "hash", "cvv",
        "card_number",
    ]

    /// The stored text, or nil when there is neither a before nor an after.
    static func text(before: AuditJSON?, after: AuditJSON?, extra: [String: AuditJSON] = [:]) -> String? {
        guard before != nil || after != nil || !extra.isEmpty else { return nil }
        let before = before.map(redacted)
        let after = after.map(redacted)
        var full = extra.mapValues(redacted)
        full["before"] = before ?? .null
        full["after"] = after ?? .null
        if let text = fitting(.object(full)) { return text }

        // Too big: keep what changed, which is what a reader of the trail looks for.
        var smaller = full
        smaller["truncated"] = .bool(true)
        if case .object(let old)? = before, case .object(let new)? = after {
            let changed = Set(old.keys).union(new.keys).filter { $0 == "id" || old[$0] != new[$0] }
            smaller["before"] = .object(old.filter { changed.contains($0.key) })
            smaller["after"] = .object(new.filter { changed.contains($0.key) })
            if let text = fitting(.object(smaller)) { return text }
        }
        let compact = AuditJSON.object(smaller).compacted(depth: 0)
        if let text = fitting(compact) { return text }
        return AuditJSON.object(["truncated": .bool(true)]).encoded
    }

    /// The value without any member whose key names a secret.
    static func redacted(_ value: AuditJSON) -> AuditJSON {
        switch value {
        case .object(let object):
            var kept: [String: AuditJSON] = [:]
            for (key, member) in object where !isSensitive(key) { kept[key] = redacted(member) }
            return .object(kept)
        case .array(let items): return .array(items.map(redacted))
        default: return value
        }
    }

    static func isSensitive(_ key: String) -> Bool {
        let lowered = key.lowercased()
        return sensitiveKeyFragments.contains { lowered.contains($0) }
    }

    private static func fitting(_ value: AuditJSON) -> String? {
        let text = value.encoded
        return text.utf8.count <= maxBytes ? text : nil
    }
}

extension AuditJSON {
    /// Long strings cut, long arrays shortened, deep nesting elided: a last resort that keeps the shape readable.
    fileprivate func compacted(depth: Int) -> AuditJSON {
        switch self {
        case .string(let text) where text.count > 120: return .string(String(text.prefix(120)) + "…")
        case .array(let items):
            guard depth < 3 else { return .string("[\(items.count) items]") }
            let kept = items.prefix(5).map { $0.compacted(depth: depth + 1) }
            return .array(items.count > 5 ? kept + [.string("… \(items.count - 5) more")] : kept)
        case .object(let object):
            guard depth < 3 else { return .string("{…}") }
            return .object(object.mapValues { $0.compacted(depth: depth + 1) })
        default: return self
        }
    }
}
