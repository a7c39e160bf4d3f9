import FluentKit
import JWTKit
import Vapor

extension APIError {
    /// Turns any error into what a client may see. Anything unexpected becomes an opaque 500;
    /// its details go to the log only.
    static func from(_ error: any Error) -> APIError? {
        switch error {
        case let error as APIError:
            return error
        case let error as any DomainError:
            return error.apiError
        case let error as ValidationsError:
            return .validation(
                error.failures.map {
                    FieldError(
                        field: $0.key.description,
                        message: $0.customFailureDescription ?? $0.failureDescription ?? "is invalid")
                })
        case let error as DecodingError:
            return from(decoding: error)
        case is JWTError:
            return .unauthorized(.invalidToken, "The token is invalid or expired.")
        case let error where ConstraintViolation(error) != nil:
            // A violation its write did not expect: the constraint table (`Constraint`) maps the expected ones.
            return .conflict(.conflict, "The request conflicts with existing data.")
        case let error as any AbortError:
            return APIError(
                error.status, code: code(for: error.status), detail: publicReason(error), headers: error.headers)
        default:
            return dependencyFailure(error)
        }
    }

    private static func from(decoding error: DecodingError) -> APIError {
        func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            return keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue.snakeCased }
                .joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .validation(field: path(context, key), "is required")
        case .valueNotFound(_, let context):
            return .validation(field: path(context), "must not be null")
        case .typeMismatch(let type, let context):
            return .badRequest(.malformedBody, "Field '\(path(context))' must be of type \(jsonTypeName(type)).")
        case .dataCorrupted(let context):
            let field = path(context)
            return field.isEmpty
                ? .badRequest(.malformedBody, "The request body is not valid JSON.")
                : .validation(field: field, "has an invalid value")
        @unknown default:
            return .badRequest(.malformedBody, "The request body could not be read.")
        }
    }

    private static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is UUID.Type, is Date.Type: return "string"
        case is Int.Type, is Int64.Type, is Int32.Type, is Double.Type, is Decimal.Type: return "number"
        case is Bool.Type: return "boolean"
        default: return String(describing: type).hasPrefix("Array") ? "array" : "object"
        }
    }

    /// Vapor's own reasons are safe to show, except for 5xx where they may name internals.
    private static func publicReason(_ error: any AbortError) -> String {
        if error.status.code >= 500 { return "The server could not complete the request." }
        switch error.status {
        case .notFound: return "No such resource."
        case .payloadTooLarge: return "The request body is too large."
        case .unsupportedMediaType: return "The request body has an unsupported media type."
        default: return error.reason
        }
    }

    static func code(for status: HTTPResponseStatus) -> ErrorCode {
        switch status {
        case .badRequest: return .badRequest
        case .unauthorized: return .authenticationRequired
        case .forbidden: return .forbidden
        case .notFound: return .notFound
        case .methodNotAllowed: return .methodNotAllowed
        case .conflict: return .conflict
        case .payloadTooLarge: return .payloadTooLarge
        case .unsupportedMediaType: return .unsupportedMediaType
        case .unprocessableEntity: return .validationFailed
        case .tooManyRequests: return .rateLimited
        case .serviceUnavailable: return .serviceUnavailable
        default: return status.code >= 500 ? .internalError : .otherClientError
        }
    }

    static let internalError = APIError(
        .internalServerError, code: .internalError, detail: "The server could not complete the request.")
}
