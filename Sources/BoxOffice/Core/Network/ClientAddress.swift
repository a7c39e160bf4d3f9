import Vapor

/// Who a request comes from, for rate limits: the socket peer, unless that peer is one of our `TRUSTED_PROXIES`.
/// Then the right-most `X-Forwarded-For` entry that is not itself a trusted proxy: every proxy appends the address it
/// saw, so entries to the right were written by proxies we trust and entries to the left by whoever sent the request.
/// Without trusted proxies the header is ignored, so nobody can choose the address they are counted under (and lock
/// out someone else's email from someone else's address).
enum ClientAddress {
    static func resolve(peer: String?, forwardedFor: [String], trusted: [IPNetwork]) -> String {
        guard let socket = peer.flatMap({ IPAddress($0) }) else { return peer ?? "unknown" }
        guard isTrusted(socket, trusted) else { return socket.description }
        var nearest = socket
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }
        for hop in hops.reversed() {
            // A malformed entry ends the walk: skipping it would believe what the client wrote to its left. The
            // last address known to be real stands (a trusted proxy that writes garbage groups its clients).
            guard let address = parseHop(hop) else { return nearest.description }
            nearest = address
            guard isTrusted(address, trusted) else { return address.description }
        }
        // Every hop was one of our proxies: the request started inside, at the left-most.
        return nearest.description
    }

    static func isTrusted(_ address: IPAddress, _ trusted: [IPNetwork]) -> Bool {
        trusted.contains { $0.contains(address) }
    }

    /// `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or `[2001:db8::1]:4711`, with spaces around.
    static func parseHop(_ raw: Substring) -> IPAddress? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            return IPAddress(text[text.index(after: text.startIndex)..<close])
        }
        let colons = text.utf8.filter { $0 == UInt8(ascii: ":") }.count
        if colons == 1, let host = text.split(separator: ":").first { return IPAddress(host) }
        return IPAddress(text)
    }
}

/// Resolves the client address once per request, before anything reads it.
struct ClientAddressMiddleware: AsyncMiddleware {
    let trustedProxies: [IPNetwork]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        request.storage[ClientAddressKey.self] = ClientAddress.resolve(
            peer: request.remoteAddress?.ipAddress,
            forwardedFor: trustedProxies.isEmpty ? [] : request.headers[.xForwardedFor], trusted: trustedProxies)
        return try await next.respond(to: request)
    }
}

enum ClientAddressKey: StorageKey { typealias Value = String }

extension Request {
    /// The client's address (see `ClientAddress`). Not Vapor's `peerAddress`, which believes `Forwarded` and
    /// `X-Forwarded-For` from anyone.
    var clientAddress: String {
        storage[ClientAddressKey.self] ?? remoteAddress.flatMap(\.ipAddress).flatMap { IPAddress($0)?.description }
            ?? "unknown"
    }
}
