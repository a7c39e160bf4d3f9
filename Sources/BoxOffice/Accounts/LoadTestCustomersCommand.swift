import ConsoleKit
import Vapor

/// `boxoffice load-test-customers --count 10000 --output FILE`: signed-in customer accounts for rehearsing an
/// on-sale rush (bench/run's rush rows), without 10,000 bcrypt signups and logins through the API (about 15 a second
/// on two cores). Needs the server's own configuration (database, `JWT_SECRET`), so it is a command on the server
/// like `create-admin`, never a route. Writes one `user_id<TAB>access_token` line per account to FILE (mode 0600).
struct LoadTestCustomersCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "count", help: "How many accounts (1 to 100000)")
        var count: Int?
        @Option(name: "output", help: "Where to write user_id<TAB>access_token lines")
        var output: String?
        @Option(name: "prefix", help: "Email prefix: <prefix>-<n>@loadtest.invalid (default rush)")
        var prefix: String?
    }

    var help: String {
        "Creates (or signs in again) load-test customers <prefix>-<n>@loadtest.invalid and writes their access tokens."
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let count = signature.count, (1...100_000).contains(count), let output = signature.output else {
            context.console.error("--count (1 to 100000) and --output are required.")
            throw ExitCode.failure
        }
        let prefix = signature.prefix ?? "rush"
        guard !prefix.isEmpty, prefix.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
            context.console.error("--prefix takes letters, digits and dashes only.")
            throw ExitCode.failure
        }
        let app = context.application
        try await app.autoMigrate()
        // One random password nobody is told: the accounts are used through the tokens written here only.
        let password = [UInt8].random(count: 24).base64
        let customers = try await app.boxOffice.accounts.loadTestCustomers(
            count: count, prefix: prefix, password: password, on: app.db)
        let lines = customers.map { "\($0.id.uuidString)\t\($0.accessToken)\n" }.joined()
        guard
            FileManager.default.createFile(
                atPath: output, contents: Data(lines.utf8), attributes: [.posixPermissions: 0o600])
        else {
            context.console.error("Could not write \(output).")
            throw ExitCode.failure
        }
        context.console.success("\(customers.count) load-test customers signed in; tokens in \(output).")
    }
}
