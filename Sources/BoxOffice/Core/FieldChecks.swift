import Vapor

/// Collects every field problem of a request, then throws them together as one 422.
struct FieldChecks {
    private(set) var errors: [FieldError] = []

    mutating func require(_ condition: Bool, _ field: String, _ message: String) {
        if !condition { errors.append(FieldError(field: field, message: message)) }
    }

    mutating func email(_ value: String, _ field: String = "email") {
        require(
            value.count <= 254 && !Validator.email.validate(value).isFailure, field, "must be a valid email address")
    }

    mutating func phone(_ value: String, _ field: String = "phone") {
        let digits = value.hasPrefix("+") ? value.dropFirst() : Substring(value)
        require(
            (7...15).contains(digits.count) && digits.allSatisfy(\.isASCIIDigitCharacter), field,
            "must be 7 to 15 digits, optionally starting with +")
    }

    mutating func password(_ value: String, _ field: String = "password") {
        require(value.count >= 8, field, "must be at least 8 characters")
        require(value.utf8.count <= 72, field, "must be at most 72 bytes")
    }

    mutating func name(_ value: String, _ field: String = "name") {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        require(!trimmed.isEmpty && trimmed.count <= 100, field, "must be 1 to 100 characters")
    }

    /// Non-blank text of at most `max` characters.
    mutating func text(_ value: String, _ field: String, max: Int) {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        require(!trimmed.isEmpty && trimmed.count <= max, field, "must be 1 to \(max) characters")
    }

    /// A non-negative amount in minor units, at most ₹1 crore.
    mutating func money(_ value: Int, _ field: String) {
        require((0...1_000_000_000).contains(value), field, "must be an amount in minor units from 0 to 1000000000")
    }

    /// `A`…`Z`, `AA`…: one to three letters.
    mutating func rowLabel(_ value: String, _ field: String = "row_label") {
        require(
            (1...3).contains(value.count) && value.allSatisfy { $0.isASCII && $0.isUppercase }, field,
            "must be 1 to 3 capital letters")
    }

    func throwIfAny() throws {
        if !errors.isEmpty { throw APIError.validation(errors) }
    }
}

extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}

extension String {
    var normalizedEmail: String { trimmingCharacters(in: .whitespacesAndNewlines).lowercased() }
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
