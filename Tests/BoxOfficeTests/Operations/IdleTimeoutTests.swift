import Foundation
import NIOCore
import NIOPosix
import Testing
import VaporTesting

@testable import BoxOffice

@Suite("HTTP idle timeout")
struct IdleTimeoutTests {
    /// A connection that opens and then says nothing is closed by the server once the idle timeout passes, while
    /// the server keeps answering others.
    @Test func aSilentConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await withTestApp(configure: { $0.httpIdleTimeoutSeconds = 1 }) { t in
            try await t.listening { port in
                let silent = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: port).get()
                let opened = ContinuousClock.now
                #expect(try await t.request(.GET, "/health").status == .ok)
                let closed = try await withThrowingTaskGroup(of: Bool.self) { group in
                    group.addTask {
                        try await silent.closeFuture.get()
                        return true
                    }
                    group.addTask {
                        try await Task.sleep(for: .seconds(10))
                        return false
                    }
                    defer { group.cancelAll() }
                    return try await group.next() ?? false
                }
                #expect(closed, "the server never closed the silent connection")
                #expect(ContinuousClock.now - opened >= .milliseconds(900))
                if !closed { try? await silent.close() }
            }
        }
    }
}
