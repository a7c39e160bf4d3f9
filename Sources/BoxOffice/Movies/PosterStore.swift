import Foundation
import NIOPosix
import Vapor

/// An image type recognised by its first bytes, never by a file name or a declared content type.
enum ImageKind: String, Sendable, CaseIterable {
    case jpeg
    case png
    case webp

    var fileExtension: String {
        switch self {
        case .jpeg: return "jpg"
        case .png: return "png"
        case .webp: return "webp"
        }
    }

    static func detect(_ bytes: some Collection<UInt8>) -> ImageKind? {
        let head = Array(bytes.prefix(12))
        if head.starts(with: [0xFF, 0xD8, 0xFF]) { return .jpeg }
        if head.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if head.count == 12, head[0..<4].elementsEqual("RIFF".utf8), head[8..<12].elementsEqual("WEBP".utf8) {
            return .webp
        }
        return nil
    }
}

/// Uploaded images in `UPLOADS_DIR`, each under a generated name (`<uuid>.<ext>`), served at `/static/uploads/<name>`.
struct PosterStore: Sendable {
    static let urlPrefix = "/static/uploads/"
    static let maxBytes = 5 * 1024 * 1024

    let directory: String
    var threadPool: NIOThreadPool = .singleton

    /// Checks size and content, writes the image, and returns its public URL.
    func store(_ data: Data) async throws -> String {
        guard data.count <= Self.maxBytes else {
            throw APIError(.payloadTooLarge, code: .payloadTooLarge, detail: "An image may be at most 5 MiB.")
        }
        guard let kind = ImageKind.detect(data) else {
            throw APIError(
                .unsupportedMediaType, code: .unsupportedMediaType,
                detail: "The file is not a JPEG, PNG or WebP image.")
        }
        let name = "\(UUID().uuidString.lowercased()).\(kind.fileExtension)"
        let folder = URL(fileURLWithPath: directory, isDirectory: true)
        try await threadPool.runIfActive {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try data.write(to: folder.appendingPathComponent(name), options: .withoutOverwriting)
        }
        return Self.urlPrefix + name
    }

    /// Deletes a file this store wrote; URLs that are not ours are left alone. Failures are only logged.
    func remove(url: String?, logger: Logger) async {
        guard let url, let name = Self.storedName(fromURL: url) else { return }
        let path = URL(fileURLWithPath: directory, isDirectory: true).appendingPathComponent(name).path
        do {
            try await threadPool.runIfActive { try FileManager.default.removeItem(atPath: path) }
        } catch {
            logger.warning("could not remove upload", metadata: ["file": .string(name), "error": "\(error)"])
        }
    }

    /// The file name in one of our upload URLs, or nil for anything else.
    static func storedName(fromURL url: String) -> String? {
        guard url.hasPrefix(urlPrefix) else { return nil }
        let name = String(url.dropFirst(urlPrefix.count))
        return isStoredName(name) ? name : nil
    }

    /// Exactly the names `store` generates: a lower-case UUID and a known extension; nothing that could leave the folder.
    static func isStoredName(_ name: String) -> Bool {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, ImageKind.allCases.contains(where: { $0.fileExtension == parts[1] }),
            let id = UUID(uuidString: String(parts[0]))
        else { return false }
        return id.uuidString.lowercased() == parts[0]
    }
}
