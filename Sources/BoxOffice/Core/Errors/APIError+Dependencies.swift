import Vapor
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOCore
import NIOPosix
import RESP

extension APIError {
    /// A database, Redis or network failure as a 503 with `Retry-After`: the request may succeed later and
    /// nothing was changed (a failed transaction rolls back). Nil for anything that is not a dependency being down.
    static func dependencyFailure(_ error: any Error) -> APIError? {
        switch error {
        case is RedisClientError, is RESPError:
            return .serviceUnavailable(
                "Seat holds are unavailable for a moment (Redis); try again shortly.", retryAfter: 2)
        case is ConnectionPoolTimeoutError, is ConnectionPoolError:
            return .serviceUnavailable("The database is busy or unreachable; try again shortly.")
        case let error as PSQLError where isUnavailable(error):
            return .serviceUnavailable("The database is unreachable; try again shortly.")
        case let error as SQLiteError where isBusy(error):
            return .serviceUnavailable("The database is busy; try again shortly.", retryAfter: 1)
        case is ChannelError, is NIOConnectionError, is IOError:
            return .serviceUnavailable("A service the server needs is unreachable; try again shortly.")
        default:
            return nil
        }
    }

    /// Connection-level PostgreSQL failures, and server errors of the classes that mean "not now":
    /// 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown, cannot connect now).
    private static func isUnavailable(_ error: PSQLError) -> Bool {
        switch error.code {
        case .server:
            guard let state = error.serverInfo?[.sqlState] else { return false }
            return ["08", "53", "57"].contains(String(state.prefix(2)))
        case .messageDecodingFailure, .unexpectedBackendMessage, .invalidCommandTag, .tooManyParameters:
            return false
        default:
            return true
        }
    }

    private static func isBusy(_ error: SQLiteError) -> Bool {
        switch error.reason {
        case .busy, .locked, .busyTimeout, .busyInSnapshot, .busyInRecovery: return true
        default: return false
        }
    }
}
