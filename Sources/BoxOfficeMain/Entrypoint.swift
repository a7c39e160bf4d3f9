import BoxOffice
import Logging
import Vapor

@main
enum Entrypoint {
    static func main() async throws {
        var environment = try Environment.detect()
        if environment == .production {
            // One JSON object per line, for log collectors; LOG_LEVEL as in development.
            let level = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
            LoggingSystem.bootstrap { JSONLogHandler(label: $0, level: level) }
        } else {
            try LoggingSystem.bootstrap(from: &environment)
        }

        let config: AppConfig
        do {
            config = try AppConfig.load(environment: environment)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            exit(1)
        }

        let app = try await Application.make(environment)
        do {
            try await configure(app, config: config, services: .live(config: config))
            app.logger.info("database", metadata: ["location": .string(config.database.redacted)])
            if isServing(environment) { try await boot(app) }
            try await app.execute()
        } catch {
            // A command's own message was printed already; end with status 1, not a crash and a backtrace.
            if !(error is ExitCode) { app.logger.report(error: error) }
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
        app.logger.notice("boxoffice stopped")
    }

    /// `boxoffice` with no command, or `boxoffice serve`, migrates before listening.
    private static func isServing(_ environment: Environment) -> Bool {
        let arguments = environment.arguments.dropFirst()
        // `boxoffice --help` prints help; it must not migrate a database on the way.
        guard !arguments.contains(where: { $0 == "--help" || $0 == "-h" }) else { return false }
        let command = arguments.first { !$0.hasPrefix("-") }
        return command == nil || command == "serve"
    }
}
