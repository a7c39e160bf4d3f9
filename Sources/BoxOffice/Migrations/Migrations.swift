import Fluent

extension Migrations {
    /// Every migration, in order. New ones go at the end.
    func addBoxOfficeMigrations() {
        add(CreateUser())
        add(CreateUserSession())
        add(CreateRefreshToken())
    }
}
