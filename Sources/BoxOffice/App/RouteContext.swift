import Vapor

/// What routing needs and nothing else: the authenticator behind the user and admin groups, the cache of public
/// lists with the versions that keep it fresh, the rate limits routes check, and the audit trail every admin write
/// lands in. Services reach controllers through their initialisers, each exactly the ones it uses.
struct RouteContext: Sendable {
    let authenticator: UserAuthenticator
    let freshness: Freshness
    let lists: ResponseCache
    let audit: AuditService
    let throttle: Throttle

    /// Public reads, and the user and admin groups, for one path and tag. Every admin write moves the catalog
    /// version, so no cache serves what it changed, and leaves an audit row when it succeeds.
    func routes(_ builder: any RoutesBuilder, _ path: PathComponent..., tag: String) -> (
        public: APIRoutes, user: APIRoutes, admin: APIRoutes
    ) {
        let base = APIRoutes(builder: builder.grouped(path), access: .public, tag: tag)
        return (
            base,
            base.grouped(authenticator, access: .user),
            base.grouped(
                authenticator, RoleGuard(role: .admin), CatalogChangeMiddleware(freshness: freshness),
                AuditMiddleware(audit: audit), access: .admin)
        )
    }
}

extension RouteContext {
    /// The door's routes for one path and tag: admins and ushers, 403 for anyone else. Not the admin group: an usher
    /// moves no catalog version, and what these routes write they audit themselves.
    func staffRoutes(_ builder: any RoutesBuilder, _ path: PathComponent..., tag: String) -> APIRoutes {
        APIRoutes(builder: builder.grouped(path), access: .staff, tag: tag)
            .grouped(authenticator, RoleGuard.staff, access: .staff)
    }

    /// A user route where an admin may act on a customer's resource (cancelling their booking): admins' calls are
    /// audited as admin writes; customers' are not.
    func auditingAdmins(_ routes: APIRoutes) -> APIRoutes {
        routes.grouped(AuditMiddleware(audit: audit, onlyAdmins: true), access: routes.access)
    }
}

/// After an admin request that may have written (anything but GET and HEAD), successful or not, moves the catalog
/// version: lists, seat maps and layouts built before it are not served again, here or on other instances.
struct CatalogChangeMiddleware: AsyncMiddleware {
    let freshness: Freshness

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method != .GET && request.method != .HEAD else { return try await next.respond(to: request) }
        do {
            let response = try await next.respond(to: request)
            await freshness.bump(.catalog)
            return response
        } catch {
            await freshness.bump(.catalog)
            throw error
        }
    }
}
