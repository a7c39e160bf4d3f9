import Fluent
import FluentSQLiteDriver
import Foundation
import SQLKit
import Testing
import VaporTesting
@testable import BoxOffice

@Suite("Constraint violations")
struct ConstraintViolationTests {
    @Test func sqliteUniqueIndexIsReadFromItsColumns() {
        let violation = ConstraintViolation(
            sqliteReason: .constraintUniqueFailed, message: "UNIQUE constraint failed: seats.screen_id, seats.label")
        #expect(violation == ConstraintViolation(kind: .unique, name: "seats.screen_id, seats.label"))
        #expect(violation.violates(.seatsScreenLabel))
        #expect(!violation.violates(.seatsScreenPosition))
        #expect(!violation.violates(.bookingSeatsSeat))
        #expect(violation.constraint(among: [.seatsScreenPosition, .seatsScreenLabel]) == .seatsScreenLabel)
    }

    /// SQLite names no foreign key, so it matches the ones a write expects, and never a unique constraint.
    @Test func sqliteForeignKeyMatchesOnlyForeignKeys() {
        let violation = ConstraintViolation(
            sqliteReason: .constraintForeignKeyFailed, message: "FOREIGN KEY constraint failed")
        #expect(violation == ConstraintViolation(kind: .foreignKey, name: nil))
        #expect(violation.violates(.showsMovie))
        #expect(!violation.violates(.usersEmail))
        #expect(violation.constraint(among: [.usersEmail, .discountsMovie, .showsMovie]) == .discountsMovie)
    }

    /// What SQLite really reports when a delete breaks an immediate foreign key; a trigger's own RAISE is no key.
    @Test func sqliteForeignKeyReportedAsTriggerIsAForeignKey() {
        let key = ConstraintViolation(sqliteReason: .constraintTriggerFailed, message: "FOREIGN KEY constraint failed")
        #expect(key == ConstraintViolation(kind: .foreignKey, name: nil))
        let raise = ConstraintViolation(sqliteReason: .constraintTriggerFailed, message: "seat is sold")
        #expect(raise.kind == .other && !raise.violates(.bookingSeatsSeat))
    }

    @Test func otherSQLiteFailuresMatchNothing() {
        let notNull = ConstraintViolation(
            sqliteReason: .constraintNotNullFailed, message: "NOT NULL constraint failed: users.email")
        #expect(notNull.kind == .other)
        #expect(Constraint.allCases.allSatisfy { !notNull.violates($0) })
    }

    @Test func postgresConstraintIsReadByName() {
        let unique = ConstraintViolation(postgresState: "23505", constraint: "uq_users_phone")
        #expect(unique.violates(.usersPhone) && !unique.violates(.usersEmail))
        let foreignKey = ConstraintViolation(postgresState: "23503", constraint: "discounts_movie_id_fkey")
        #expect(foreignKey.violates(.discountsMovie) && !foreignKey.violates(.showsMovie))
        #expect(foreignKey.constraint(among: [.showsMovie, .discountsMovie]) == .discountsMovie)
        let check = ConstraintViolation(postgresState: "23514", constraint: "uq_users_email")
        #expect(!check.violates(.usersEmail))
    }

    @Test func errorsThatAreNotConstraintFailuresAreNotViolations() {
        #expect(ConstraintViolation(CancellationError()) == nil)
        #expect(ConstraintViolation(APIError.conflict(.conflict, "Not a database error.")) == nil)
    }

    /// Each constraint becomes one 409 with its catalogue code, in the request's words when the site has some.
    @Test func eachConstraintMapsToOneConflict() {
        #expect(Constraint.usersEmail.error().code == "account_exists")
        #expect(Constraint.usersPhone.error().code == "account_exists")
        #expect(Constraint.showCategoryPrices.error().code == "price_exists")
        #expect(Constraint.bookingSeatsSeat.error().code == "seat_in_use")
        #expect(Constraint.allCases.allSatisfy { $0.error().status == .conflict })
        #expect(Constraint.discountsPromoCode.error(detail: "SAVE10 is taken.").detail == "SAVE10 is taken.")
    }

    /// The table names constraints the migrated schema really has: on SQLite each unique one by its columns, each
    /// foreign key by the table and column PostgreSQL names it after; on PostgreSQL each by its name.
    @Test func tableMatchesTheMigratedSchema() async throws {
        try await withTestApp { t in
            let sql = try #require(t.app.db as? any SQLDatabase)
            if TestDatabase.isPostgres {
                let rows = try await sql.raw(
                    "SELECT conname AS name FROM pg_constraint UNION SELECT indexname AS name FROM pg_indexes"
                ).all()
                let names = Set(try rows.map { try $0.decode(column: "name", as: String.self) })
                for constraint in Constraint.allCases {
                    #expect(names.contains(constraint.rawValue), "no constraint \(constraint.rawValue)")
                }
                return
            }
            let tables = try await sql.raw(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            ).all().map { try $0.decode(column: "name", as: String.self) }
            var uniques: Set<String> = []
            var foreignKeys: Set<String> = []
            for table in tables {
                // The table-valued forms, not bare PRAGMAs: a bare `PRAGMA index_list` answers from the schema its
                // connection loaded, and a writer connection that loaded the new file's empty schema at start-up
                // (`PRAGMA journal_mode=WAL`) kept it when the migrations ran on another (no indexes, 3 runs in 10).
                for index in try await sql.raw("SELECT name, \"unique\" FROM pragma_index_list(\(bind: table))").all()
                where try index.decode(column: "unique", as: Int.self) == 1 {
                    let name = try index.decode(column: "name", as: String.self)
                    let columns = try await sql.raw("SELECT seqno, name FROM pragma_index_info(\(bind: name))").all()
                        .map {
                            (
                                try $0.decode(column: "seqno", as: Int.self),
                                try $0.decode(column: "name", as: String.self)
                            )
                        }
                    uniques.insert(columns.sorted { $0.0 < $1.0 }.map { "\(table).\($0.1)" }.joined(separator: ", "))
                }
                for key in try await sql.raw("SELECT \"from\" FROM pragma_foreign_key_list(\(bind: table))").all() {
                    foreignKeys.insert("\(table)_\(try key.decode(column: "from", as: String.self))_fkey")
                }
            }
            for constraint in Constraint.allCases {
                switch constraint.kind {
                case .unique:
                    let columns = try #require(constraint.sqliteColumns)
                    #expect(uniques.contains(columns), "no unique index on \(columns)")
                default:
                    #expect(foreignKeys.contains(constraint.rawValue), "no foreign key \(constraint.rawValue)")
                }
            }
        }
    }

    /// A real SQLite (or PostgreSQL) unique failure is read as the constraint it broke; unexpected, it is a plain 409.
    @Test func realUniqueViolationIsRecognised() async throws {
        try await withTestApp { t in
            let email = "twin-\(UUID().uuidString.prefix(6))@example.com"
            try await User(name: "One", email: email, phone: "+91 90000 00001", passwordHash: "x").create(on: t.app.db)
            let twin = User(name: "Two", email: email, phone: "+91 90000 00002", passwordHash: "x")
            let error = try #require(await #expect(throws: (any Error).self) { try await twin.create(on: t.app.db) })
            let violation = try #require(ConstraintViolation(error))
            #expect(violation.violates(.usersEmail))
            #expect(!violation.violates(.usersPhone))
            #expect(APIError.from(error)?.code == "conflict")
        }
    }

    /// A real foreign-key failure on a delete becomes the error the delete expects, and no other.
    @Test func realForeignKeyViolationIsRecognised() async throws {
        try await withTestApp { t in
            let admin = try await t.admin()
            let movieID = try await t.makeMovie()
            let screen = try await t.makeScreen(admin)
            #expect(try await t.makeShow(admin, movie: movieID, screen: screen.id).status == .created)
            let movie = try #require(try await Movie.find(movieID, on: t.app.db))
            let error = await #expect(throws: APIError.self) {
                try await Constraint.mapping(.usersEmail, .showsMovie) { try await movie.delete(on: t.app.db) }
            }
            #expect(error?.code == "movie_has_shows")
            let unexpected = await #expect(throws: (any Error).self) {
                try await Constraint.mapping(.usersEmail) { try await movie.delete(on: t.app.db) }
            }
            #expect(unexpected.flatMap(ConstraintViolation.init)?.kind == .foreignKey)
        }
    }
}
