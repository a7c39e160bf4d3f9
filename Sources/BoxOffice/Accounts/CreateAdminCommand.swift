import ConsoleKit
import Vapor

/// `boxoffice create-admin --email … --password … [--name …]`: idempotent.
struct CreateAdminCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "email", help: "The admin's email address")
        var email: String?
        @Option(name: "password", help: "At least 8 characters")
        var password: String?
        @Option(name: "name", help: "Display name (default Administrator)")
        var name: String?
    }

    var help: String {
        "Creates an admin account, or promotes the account with that email (its password is reset to this one)."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let email = signature.email, let password = signature.password else {
            context.console.error("Both --email and --password are required.")
            throw ExitCode.failure
        }
        let app = context.application
        try await app.autoMigrate()
        do {
            let outcome = try await app.boxOffice.adminBootstrap.ensureAdmin(
                email: email, password: password, name: signature.name ?? "Administrator", on: app.db)
            switch outcome {
            case .created: context.console.success("Created admin \(email.normalizedEmail).")
            case .promoted:
                context.console.success(
                    "\(email.normalizedEmail) is now an admin, with the password given here; its sessions ended.")
            case .unchanged: context.console.info("\(email.normalizedEmail) is already an admin; nothing changed.")
            }
        } catch let error as APIError {
            context.console.error(error.fieldErrors.map { "\($0.field) \($0.message)" }.joined(separator: "; "))
            throw ExitCode.failure
        }
    }
}

/// Thrown by a command that has already told the operator what went wrong: `boxoffice` exits with status 1.
public enum ExitCode: Error {
    case failure
}
