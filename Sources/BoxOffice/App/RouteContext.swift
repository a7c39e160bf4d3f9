import Vapor

/// What controllers are built with: the authenticator for user and admin groups, the services, the configuration.
struct RouteContext: Sendable {
    let config: AppConfig
    let services: AppServices
    let authenticator: UserAuthenticator
    let holds: HoldService
    let cancellations: CancellationService

    /// Public reads, and the user and admin groups, for one path and tag.
    func routes(_ builder: any RoutesBuilder, _ path: PathComponent..., tag: String) -> (public: APIRoutes, user: APIRoutes, admin: APIRoutes) {
        let base = APIRoutes(builder: builder.grouped(path), access: .public, tag: tag)
        return (
            base,
            base.grouped(authenticator, access: .user),
            base.grouped(authenticator, RoleGuard(role: .admin), access: .admin)
        )
    }
}
