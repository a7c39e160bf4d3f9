import Vapor

/// What routing needs and nothing else: the authenticator behind the user and admin groups. Services reach
/// controllers through their initialisers, each exactly the ones it uses.
struct RouteContext: Sendable {
    let authenticator: UserAuthenticator

    /// Public reads, and the user and admin groups, for one path and tag.
    func routes(_ builder: any RoutesBuilder, _ path: PathComponent..., tag: String) -> (
        public: APIRoutes, user: APIRoutes, admin: APIRoutes
    ) {
        let base = APIRoutes(builder: builder.grouped(path), access: .public, tag: tag)
        return (
            base,
            base.grouped(authenticator, access: .user),
            base.grouped(authenticator, RoleGuard(role: .admin), access: .admin)
        )
    }
}
