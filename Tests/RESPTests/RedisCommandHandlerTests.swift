import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import RESP

/// Records a future's result as soon as it completes; the embedded loop completes futures synchronously.
private final class Outcome {
    var result: Result<[RESPValue], any Error>?

    init(_ future: EventLoopFuture<[RESPValue]>) {
        future.assumeIsolated().whenComplete { self.result = $0 }
    }

    var values: [RESPValue]? { try? result?.get() }
    var error: RedisClientError? {
        guard case .failure(let error) = result else { return nil }
        return error as? RedisClientError
    }
}

/// The command handler on an embedded channel: no sockets, and time moves only when the test says so.
private struct Harness {
    let channel: EmbeddedChannel
    let handler = RedisCommandHandler(logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))

    init() throws {
        channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers(ByteToMessageHandler(RESPDecoder()), handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 6379)).wait()
    }

    func send(_ commands: [[String]], timeout: Duration? = .milliseconds(500)) throws -> Outcome {
        let promise = channel.eventLoop.makePromise(of: [RESPValue].self)
        try channel.writeOutbound(
            RedisRequest(commands: commands.map(RESPCommand.init), timeout: timeout, promise: promise))
        return Outcome(promise.futureResult)
    }

    func written() throws -> String {
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    func reply(_ wire: String) throws {
        try channel.writeInbound(ByteBuffer(string: wire))
    }
}

@Suite struct RedisCommandHandlerTests {
    @Test func pipelinedRequestsGetTheirRepliesInOrder() throws {
        let harness = try Harness()
        defer { _ = try? harness.channel.finish() }
        let first = try harness.send([["INCR", "a"], ["GET", "b"]])
        let second = try harness.send([["PING"]])
        #expect(
            try harness.written() == "*2\r\n$4\r\nINCR\r\n$1\r\na\r\n*2\r\n$3\r\nGET\r\n$1\r\nb\r\n*1\r\n$4\r\nPING\r\n"
        )

        try harness.reply(":1\r\n$-1")  // the second reply is still partial
        #expect(first.result == nil)
        try harness.reply("\r\n+PO")
        #expect(first.values == [.integer(1), .null])
        #expect(second.result == nil)
        try harness.reply("NG\r\n")
        #expect(second.values == [.simpleString("PONG")])
        #expect(harness.handler.outstandingCount == 0)
    }

    @Test func anErrorReplyStaysInItsPlace() throws {
        let harness = try Harness()
        defer { _ = try? harness.channel.finish() }
        let batch = try harness.send([["SET", "k", "v"], ["LPUSH", "k", "x"], ["GET", "k"]])
        try harness.reply("+OK\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n$1\r\nv\r\n")
        #expect(
            batch.values == [
                .simpleString("OK"), .error("WRONGTYPE Operation against a key holding the wrong kind of value"),
                .bulk("v"),
            ])
        #expect(harness.channel.isActive)
    }

    @Test func aTimeoutFailsEveryRequestAndClosesTheConnection() throws {
        let harness = try Harness()
        let slow = try harness.send([["BLPOP", "q", "0"]], timeout: .milliseconds(100))
        let behind = try harness.send([["GET", "k"]], timeout: .seconds(5))
        harness.channel.embeddedEventLoop.advanceTime(by: .milliseconds(99))
        #expect(slow.result == nil)
        harness.channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        #expect(slow.error == .commandTimeout(after: .milliseconds(100)))
        #expect(behind.error == .commandTimeout(after: .milliseconds(100)))
        #expect(!harness.channel.isActive)
    }

    @Test func aRepliedRequestDoesNotTimeOutLater() throws {
        let harness = try Harness()
        defer { _ = try? harness.channel.finish() }
        let request = try harness.send([["PING"]], timeout: .milliseconds(100))
        try harness.reply("+PONG\r\n")
        harness.channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        #expect(request.values == [.simpleString("PONG")])
        #expect(harness.channel.isActive)
    }

    @Test func aReplyNobodyAskedForIsAProtocolError() throws {
        let harness = try Harness()
        try? harness.reply("+OK\r\n")
        #expect(!harness.channel.isActive)
    }

    @Test func malformedBytesFailOutstandingRequests() throws {
        let harness = try Harness()
        let request = try harness.send([["GET", "k"]])
        try? harness.reply("%3\r\n")  // RESP3 map: not RESP2
        guard case .protocolError = request.error else {
            Issue.record("expected a protocol error, got \(String(describing: request.result))")
            return
        }
        #expect(!harness.channel.isActive)
    }

    @Test func theServerHangingUpFailsOutstandingRequests() throws {
        let harness = try Harness()
        let request = try harness.send([["GET", "k"]])
        harness.channel.pipeline.fireChannelInactive()
        #expect(request.error == .connectionClosed)
    }
}
