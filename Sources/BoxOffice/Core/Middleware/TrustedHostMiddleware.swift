import Vapor

/// Refuses requests whose `Host` is not one of `TRUSTED_HOSTS` (a leading `*.` allows subdomains).
/// An empty list trusts every host, the development default.
struct TrustedHostMiddleware: AsyncMiddleware {
    let hosts: [String]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard !hosts.isEmpty else { return try await next.respond(to: request) }
        let host = Self.hostName(request.headers.first(name: .host) ?? "")
        guard Self.isTrusted(host, hosts: hosts) else {
            throw APIError.badRequest(.untrustedHost, "The Host header is not one this server answers to.")
        }
        return try await next.respond(to: request)
    }

    static func hostName(_ header: String) -> String {
        let lowered = header.lowercased()
        if lowered.hasPrefix("[") { return String(lowered.prefix { $0 != "]" }) + "]" }
        return String(lowered.split(separator: ":", maxSplits: 1).first ?? "")
    }

    static func isTrusted(_ host: String, hosts: [String]) -> Bool {
        hosts.contains { pattern in
            let pattern = pattern.lowercased()
            if pattern == "*" { return true }
            if pattern.hasPrefix("*.") { return host.hasSuffix(String(pattern.dropFirst(1))) }
            return host == pattern
        }
    }
}
