import Logging

/// What production log lines must never carry, whoever logged it (our code, Vapor, or Fluent, whose debug lines
/// include the values of every query): values under secret-looking keys are dropped, emails are masked, and
/// anything shaped like a JWT is dropped wherever it appears.
enum LogRedaction {
    static let redacted = "[redacted]"
    private static let secretKeys: Set<String> = [
        "password", "password_hash", "new_password", "current_password", "token", "access_token", "refresh_token",
        "token_hash", "authorization", "signature", "secret", "jwt", "key_secret", "webhook_secret",
    ]

    static func clean(_ value: Logger.Metadata.Value, key: String? = nil) -> Logger.Metadata.Value {
        if let key, secretKeys.contains(key.lowercased()) { return .string(redacted) }
        switch value {
        case .string(let text): return .string(clean(text))
        case .stringConvertible(let convertible): return .string(clean(convertible.description))
        case .array(let values): return .array(values.map { clean($0) })
        case .dictionary(let dictionary):
            // Fluent's filters name the column in `field` and carry the value beside it.
            if case .string(let field)? = dictionary["field"], let column = field.split(separator: ".").last,
                secretKeys.contains(String(column))
            {
                var copy = dictionary
                copy["value"] = .string(redacted)
                return .dictionary(copy.mapValues { clean($0) })
            }
            return .dictionary(
                Dictionary(uniqueKeysWithValues: dictionary.map { ($0.key, clean($0.value, key: $0.key)) }))
        }
    }

    static func clean(_ text: String) -> String {
        if looksLikeJWT(text) { return redacted }
        if looksLikeEmail(text) { return text.maskedEmail }
        return text
    }

    private static func looksLikeJWT(_ text: String) -> Bool {
        text.hasPrefix("eyJ") && text.split(separator: ".").count == 3
    }

    private static func looksLikeEmail(_ text: String) -> Bool {
        guard text.count <= 320, !text.contains(" "), let at = text.firstIndex(of: "@") else { return false }
        return text[text.index(after: at)...].contains(".") && at > text.startIndex
    }
}
