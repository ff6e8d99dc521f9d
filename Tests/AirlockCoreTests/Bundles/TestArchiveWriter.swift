import CArchive
import Foundation
import XCTest

/// One entry to write, exactly as given: hostile paths, links and devices included.
struct TestEntry {
    enum Kind {
        case file([UInt8])
        case directory
        case symlink(String)
        case hardlink(String)
        case characterDevice
        case fifo
    }

    var path: String
    var kind: Kind
    var mode: UInt32

    static func file(_ path: String, _ text: String, mode: UInt32 = 0o644) -> TestEntry {
        TestEntry(path: path, kind: .file(Array(text.utf8)), mode: mode)
    }

    static func file(_ path: String, bytes: [UInt8], mode: UInt32 = 0o644) -> TestEntry {
        TestEntry(path: path, kind: .file(bytes), mode: mode)
    }

    static func directory(_ path: String, mode: UInt32 = 0o755) -> TestEntry {
        TestEntry(path: path, kind: .directory, mode: mode)
    }

    static func symlink(_ path: String, to target: String) -> TestEntry {
        TestEntry(path: path, kind: .symlink(target), mode: 0o777)
    }

    static func hardlink(_ path: String, to target: String) -> TestEntry {
        TestEntry(path: path, kind: .hardlink(target), mode: 0o644)
    }
}

/// Writes tar archives with libarchive's write API, in memory, for tests only.
enum TestArchiveWriter {
    enum Compression { case none, gzip, zstd }

    private final class Sink {
        var bytes: [UInt8] = []
    }

    private static let append: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeRawPointer?, Int) -> la_ssize_t = { _, client, buffer, length in
        guard let client, let buffer else { return -1 }
        let sink = Unmanaged<Sink>.fromOpaque(client).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
        return la_ssize_t(length)
    }

    static func tar(_ entries: [TestEntry], compression: Compression = .none) -> [UInt8] {
        guard let archive = archive_write_new() else { fatalError("archive_write_new") }
        defer { archive_write_free(archive) }
        archive_write_set_format_pax_restricted(archive)
        switch compression {
        case .none: break
        case .gzip: archive_write_add_filter_gzip(archive)
        case .zstd: archive_write_add_filter_zstd(archive)
        }
        archive_write_set_bytes_in_last_block(archive, 1)
        let sink = Sink()
        let client = Unmanaged.passUnretained(sink).toOpaque()
        precondition(archive_write_open(archive, client, nil, append, nil) == ARCHIVE_OK)
        for item in entries {
            guard let entry = archive_entry_new() else { fatalError("archive_entry_new") }
            defer { archive_entry_free(entry) }
            archive_entry_set_pathname(entry, item.path)
            archive_entry_set_mtime(entry, 1_700_000_000, 0)
            var data: [UInt8] = []
            switch item.kind {
            case .file(let bytes):
                archive_entry_set_filetype(entry, 0o100000)
                archive_entry_set_size(entry, la_int64_t(bytes.count))
                data = bytes
            case .directory:
                archive_entry_set_filetype(entry, 0o040000)
            case .symlink(let target):
                archive_entry_set_filetype(entry, 0o120000)
                archive_entry_set_symlink(entry, target)
            case .hardlink(let target):
                archive_entry_set_filetype(entry, 0o100000)
                archive_entry_set_hardlink(entry, target)
                archive_entry_set_size(entry, 0)
            case .characterDevice:
                archive_entry_set_filetype(entry, 0o020000)
                archive_entry_set_rdevmajor(entry, 1)
                archive_entry_set_rdevminor(entry, 3)
            case .fifo:
                archive_entry_set_filetype(entry, 0o010000)
            }
            archive_entry_set_perm(entry, item.mode)
            precondition(archive_write_header(archive, entry) == ARCHIVE_OK, String(cString: archive_error_string(archive)))
            if !data.isEmpty {
                let written = data.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
                precondition(written == data.count)
            }
        }
        archive_write_close(archive)
        return sink.bytes
    }

    /// The entries of a folder under testdata. A folder named `X.tar.d`, `X.tar.gz.d`,
    /// `X.tgz.d` or `X.tar.zst.d` becomes a file `X`: the archive of its contents.
    static func entries(ofFolder folder: URL, prefix: String = "") throws -> [TestEntry] {
        var result: [TestEntry] = []
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        for name in names {
            let url = folder.appendingPathComponent(name)
            let path = prefix + name
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                if let (archiveName, compression) = nestedArchive(name) {
                    let inner = try entries(ofFolder: url)
                    result.append(.file(prefix + archiveName, bytes: tar(inner, compression: compression)))
                } else {
                    result.append(.directory(path))
                    result.append(contentsOf: try entries(ofFolder: url, prefix: path + "/"))
                }
            } else {
                result.append(.file(path, bytes: [UInt8](try Data(contentsOf: url))))
            }
        }
        return result
    }

    private static func nestedArchive(_ name: String) -> (String, Compression)? {
        guard name.hasSuffix(".d") else { return nil }
        let archiveName = String(name.dropLast(2))
        if archiveName.hasSuffix(".tar.gz") || archiveName.hasSuffix(".tgz") { return (archiveName, .gzip) }
        if archiveName.hasSuffix(".tar.zst") { return (archiveName, .zstd) }
        if archiveName.hasSuffix(".tar") { return (archiveName, .none) }
        return nil
    }

    /// Materialises `entries` as a plain folder (files and folders only).
    static func writeFolder(_ entries: [TestEntry], to folder: URL) throws {
        for entry in entries {
            let url = folder.appendingPathComponent(entry.path)
            switch entry.kind {
            case .directory:
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            case .file(let bytes):
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: url)
            case .symlink(let target):
                try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
            default:
                break
            }
        }
    }
}

/// A fresh temporary folder removed when the test ends.
final class TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-bundles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file.path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// The repository's testdata/bundles folder.
enum TestData {
    static let bundles: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("testdata/bundles")
}
