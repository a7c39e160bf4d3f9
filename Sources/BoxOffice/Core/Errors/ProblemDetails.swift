import Rules
import Vapor

/// RFC 9457 problem details, the body of every error response.
public struct ProblemDetails: Content, Sendable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    public var code: String
    public var requestId: String
    public var errors: [FieldError]?
    public var seatIds: [UUID]?
    public var bookingStatus: BookingStatus?
    public var admittedAt: Date?

    public init(_ error: APIError, requestID: String) {
        self.type = "urn:boxoffice:problem:\(error.code)"
        self.title = error.status.reasonPhrase
        self.status = Int(error.status.code)
        self.detail = error.detail
        self.code = error.code
        self.requestId = requestID
        self.errors = error.fieldErrors.isEmpty ? nil : error.fieldErrors
        self.seatIds = error.seatIds
        self.bookingStatus = error.bookingStatus
        self.admittedAt = error.admittedAt
    }
}

extension HTTPMediaType {
    static let problemJSON = HTTPMediaType(
        type: "application", subType: "problem+json", parameters: ["charset": "utf-8"])
}
