import Vapor

extension Request {
    /// A UUID path parameter; anything that is not a UUID names no resource, so it is a 404.
    func requireID(_ name: String = "id", _ what: String) throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else { throw APIError.notFound(what) }
        return id
    }
}
