import Vapor

/// A body answered with 201 Created.
struct Created<Body: Content>: AsyncResponseEncodable {
    var body: Body

    init(_ body: Body) { self.body = body }

    func encodeResponse(for request: Request) async throws -> Response {
        let response = try await body.encodeResponse(for: request)
        response.status = .created
        return response
    }
}
