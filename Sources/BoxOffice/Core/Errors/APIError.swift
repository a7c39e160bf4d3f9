import Rules
import Vapor

/// One problem with one field of a request, reported in a 422's `errors` list.
public struct FieldError: Content, Equatable, Sendable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// An error a client can act on: an HTTP status, a stable machine `code` from the `ErrorCode` catalogue and a
/// human `detail`.
///
/// Domain errors (`AuthError`, later `BookingError`, …) convert into this through `APIErrorConvertible`,
/// and `ProblemDetailsMiddleware` renders it as RFC 9457 problem details.
public struct APIError: AbortError, Sendable {
    public var status: HTTPResponseStatus
    public var errorCode: ErrorCode
    public var detail: String
    public var fieldErrors: [FieldError]
    public var headers: HTTPHeaders
    /// Seats a conflict is about (`seats_unavailable`), sent as the `seat_ids` extension member.
    public var seatIds: [UUID]?
    /// The booking's status when a ticket is refused for it (`booking_not_confirmed`, `not_admissible`).
    public var bookingStatus: BookingStatus?
    /// When a ticket scanned again was first admitted (`already_admitted`).
    public var admittedAt: Date?

    public init(
        _ status: HTTPResponseStatus, code: ErrorCode, detail: String,
        fieldErrors: [FieldError] = [], headers: HTTPHeaders = [:]
    ) {
        self.status = status
        self.errorCode = code
        self.detail = detail
        self.fieldErrors = fieldErrors
        self.headers = headers
    }

    /// The wire spelling of `errorCode`.
    public var code: String { errorCode.rawValue }

    public var reason: String { detail }

    public static func validation(_ errors: [FieldError], detail: String = "The request has invalid fields.")
        -> APIError
    {
        APIError(.unprocessableEntity, code: .validationFailed, detail: detail, fieldErrors: errors)
    }

    public static func validation(field: String, _ message: String) -> APIError {
        validation([FieldError(field: field, message: message)])
    }

    public static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: .notFound, detail: "\(what) was not found.")
    }

    public static func conflict(_ code: ErrorCode, _ detail: String) -> APIError {
        APIError(.conflict, code: code, detail: detail)
    }

    public static func badRequest(_ code: ErrorCode, _ detail: String) -> APIError {
        APIError(.badRequest, code: code, detail: detail)
    }

    /// 401 with `WWW-Authenticate: Bearer`, as RFC 6750 asks.
    public static func unauthorized(_ code: ErrorCode, _ detail: String) -> APIError {
        var headers = HTTPHeaders()
        let error = code == .authenticationRequired ? "" : ", error=\"invalid_token\""
        headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer realm=\"boxoffice\"\(error)")
        return APIError(.unauthorized, code: code, detail: detail, headers: headers)
    }

    public static func forbidden(_ code: ErrorCode = .forbidden, _ detail: String) -> APIError {
        APIError(.forbidden, code: code, detail: detail)
    }

    public static func tooManyRequests(retryAfter seconds: Int) -> APIError {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .retryAfter, value: String(max(1, seconds)))
        return APIError(
            .tooManyRequests, code: .rateLimited,
            detail: "Too many attempts. Try again in \(max(1, seconds)) seconds.", headers: headers)
    }

    /// 503 with `Retry-After`: a dependency is down or the server is saturated; nothing was changed.
    public static func serviceUnavailable(_ detail: String, retryAfter seconds: Int = 5) -> APIError {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .retryAfter, value: String(max(1, seconds)))
        return APIError(.serviceUnavailable, code: .serviceUnavailable, detail: detail, headers: headers)
    }
}
