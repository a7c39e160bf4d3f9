import Foundation
import NIOCore
import Testing
import Vapor
@testable import BoxOffice

/// What a request sent "from" an address answered.
struct PeerResponse {
    let status: HTTPStatus
    let headers: HTTPHeaders
    let body: ByteBuffer

    var problem: ProblemDetails? { try? JSONDecoder.api.decode(ProblemDetails.self, from: Data(buffer: body)) }
    var retryAfter: Int? { headers.first(name: .retryAfter).flatMap(Int.init) }
}

extension TestApp {
    /// A request whose socket peer is `peer`, through every middleware and route, as the in-memory tester sends
    /// them (which have no peer at all): the only way to be two clients at once on one machine.
    func request(
        _ method: HTTPMethod, _ path: String, from peer: String, json: (any Encodable & Sendable)? = nil,
        token: String? = nil, forwardedFor: String? = nil
    ) async throws -> PeerResponse {
        var headers = HTTPHeaders()
        if let token { headers.replaceOrAdd(name: .authorization, value: "Bearer \(token)") }
        if let forwardedFor { headers.replaceOrAdd(name: .xForwardedFor, value: forwardedFor) }
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(data: try JSONEncoder.api.encode(json))
            headers.replaceOrAdd(name: .contentType, value: "application/json")
        }
        let request = Request(
            // `URI(path:)`, as Vapor's server parses a request line: `URI(string: "//metrics")` would read a host.
            application: app, method: method, url: URI(path: path), headers: headers, collectedBody: body,
            remoteAddress: try SocketAddress(ipAddress: peer, port: 40_000), logger: app.logger,
            on: app.eventLoopGroup.next())
        let response = try await app.responder.respond(to: request).get()
        let collected = try await response.body.collect(on: request.eventLoop).get() ?? ByteBuffer()
        return PeerResponse(status: response.status, headers: response.headers, body: collected)
    }

    /// A wrong-password login for `email` from `peer`.
    func failedLogin(_ email: String, from peer: String, forwardedFor: String? = nil) async throws -> PeerResponse {
        try await request(
            .POST, "/users/login", from: peer, json: ["email": email, "password": "wrong-password"],
            forwardedFor: forwardedFor)
    }
}
