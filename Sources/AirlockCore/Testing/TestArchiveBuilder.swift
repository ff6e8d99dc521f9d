import CArchive
import Foundation

/// Builds tar archives from folders of test data, for policy tests and the test suites: a folder
/// named `X.tar.d`, `X.tar.gz.d`, `X.tgz.d` or `X.tar.zst.d` becomes the archive `X` of its
/// contents, so test data stays readable text in git and no binary is committed.
public enum TestArchiveBuilder {
    public enum Compression: Sendable { case none, gzip, zstd }

    /// One entry to write, exactly as given: hostile paths, links and devices included.
    public struct Entry: Sendable {
        public enum Kind: Sendable {
            case file([UInt8])
            case directory
            case symlink(String)
            case hardlink(String)
            case characterDevice
            case fifo
        }

        public var path: String
        public var kind: Kind
        public var mode: UInt32

        public init(path: String, kind: Kind, mode: UInt32) {
            self.path = path
            self.kind = kind
            self.mode = mode
        }
    }

    public struct WriteError: Error, CustomStringConvertible {
        public var description: String
    }

    private final class Sink {
        var bytes: [UInt8] = []
    }

    private static let append: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, UnsafeRawPointer?, Int) -> la_ssize_t = { _, client, buffer, length in
        guard let client, let buffer else { return -1 }
        let sink = Unmanaged<Sink>.fromOpaque(client).takeUnretainedValue()
        sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
        return la_ssize_t(length)
    }

    /// A pax tar archive of `entries`, in memory, with a fixed mtime so builds are reproducible.
    public static func tar(_ entries: [Entry], compression: Compression = .none) throws -> [UInt8] {
        guard let archive = archive_write_new() else { throw WriteError(description: "archive_write_new failed") }
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
        func failure() -> WriteError { WriteError(description: archive_error_string(archive).map { String(cString: $0) } ?? "archive write failed") }
        guard archive_write_open(archive, client, nil, append, nil) == ARCHIVE_OK else { throw failure() }
        for item in entries {
            guard let entry = archive_entry_new() else { throw WriteError(description: "archive_entry_new failed") }
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
            guard archive_write_header(archive, entry) == ARCHIVE_OK else { throw failure() }
            if !data.isEmpty {
                let written = data.withUnsafeBytes { archive_write_data(archive, $0.baseAddress, $0.count) }
                guard written == data.count else { throw failure() }
            }
        }
        guard archive_write_close(archive) == ARCHIVE_OK else { throw failure() }
        return sink.bytes
    }

    /// The entries of a folder, sorted; `X.tar.gz.d`-style folders become archives (recursively).
    public static func entries(ofFolder folder: URL, prefix: String = "") throws -> [Entry] {
        var result: [Entry] = []
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        for name in names {
            let url = folder.appendingPathComponent(name)
            let path = prefix + name
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            if isDirectory.boolValue {
                if let (archiveName, compression) = nestedArchive(name) {
                    let inner = try entries(ofFolder: url)
                    result.append(Entry(path: prefix + archiveName, kind: .file(try tar(inner, compression: compression)), mode: 0o644))
                } else {
                    result.append(Entry(path: path, kind: .directory, mode: 0o755))
                    result.append(contentsOf: try entries(ofFolder: url, prefix: path + "/"))
                }
            } else {
                result.append(Entry(path: path, kind: .file([UInt8](try Data(contentsOf: url))), mode: 0o644))
            }
        }
        return result
    }

    /// The archive name and compression a `.d` folder stands for.
    public static func nestedArchive(_ name: String) -> (String, Compression)? {
        guard name.hasSuffix(".d") else { return nil }
        let archiveName = String(name.dropLast(2))
        return compression(of: archiveName).map { (archiveName, $0) }
    }

    /// The compression an archive name implies, or `nil` when it is not a tar archive name.
    public static func compression(of name: String) -> Compression? {
        if name.hasSuffix(".tar.gz") || name.hasSuffix(".tgz") { return .gzip }
        if name.hasSuffix(".tar.zst") { return .zstd }
        if name.hasSuffix(".tar") { return Compression.none }
        return nil
    }
}
