import Vapor

extension Feature {
    /// Sign-up, sign-in, sessions and profiles; admins' user management.
    static func accounts(_ box: BoxOffice) -> Feature {
        Feature(
            name: "accounts",
            routes: [
                UserController(accounts: box.accounts, authenticator: box.authenticator, throttle: box.throttle),
                AdminUserController(accounts: box.accounts, authenticator: box.authenticator, audit: box.audit),
            ])
    }
}
