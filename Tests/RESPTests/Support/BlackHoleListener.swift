#if canImport(Glibc)
    import Glibc
    private let streamSocket = Int32(SOCK_STREAM.rawValue)
#elseif canImport(Darwin)
    import Darwin
    private let streamSocket = SOCK_STREAM
#endif

/// A loopback port where TCP connects hang, to test the connect timeout without depending on the network.
///
/// It listens with a backlog of 0 and never accepts: once the accept queue holds its one connection, the kernel
/// drops further SYNs and the client keeps retrying, exactly as with a host that does not answer. (A
/// "non-routable" address is no good here: sandboxes and proxies may accept any outbound connect.)
final class BlackHoleListener {
    private let socket: LoopbackSocket
    var port: Int { socket.port }

    init() throws {
        socket = try LoopbackSocket(listening: true)
    }
}

/// A loopback port that refuses every connect for as long as this object lives: bound, never listening, so the kernel
/// answers a SYN with a reset, and no other process can take the port meanwhile (a port found free and let go can be
/// taken by a test server starting in parallel).
final class RefusingPort {
    private let socket: LoopbackSocket
    var port: Int { socket.port }

    init() throws {
        socket = try LoopbackSocket(listening: false)
    }
}

/// A TCP socket bound to a free port of 127.0.0.1, listening with a backlog of 0 or not at all; closed on deinit.
private final class LoopbackSocket {
    let port: Int
    private let descriptor: Int32

    init(listening: Bool) throws {
        let descriptor = socket(AF_INET, streamSocket, 0)
        guard descriptor >= 0 else { throw BlackHoleError.socket(errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && (!listening || listen(descriptor, 0) == 0)
                    && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else {
            close(descriptor)
            throw BlackHoleError.socket(errno)
        }
        self.descriptor = descriptor
        self.port = Int(UInt16(bigEndian: address.sin_port))
    }

    deinit {
        close(descriptor)
    }
}

enum BlackHoleError: Error {
    case socket(Int32)
}
