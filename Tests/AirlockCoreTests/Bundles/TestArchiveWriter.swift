import CArchive
import Foundation
import XCTest

import AirlockCore

/// One entry to write (the builder now lives in AirlockCore, for the policy test runner too).
typealias TestEntry = TestArchiveBuilder.Entry

extension TestArchiveBuilder.Entry {
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

/// Writes tar archives in memory for tests, failing the test when libarchive refuses.
enum TestArchiveWriter {
    typealias Compression = TestArchiveBuilder.Compression

    static func tar(_ entries: [TestEntry], compression: Compression = .none) -> [UInt8] {
        do {
            return try TestArchiveBuilder.tar(entries, compression: compression)
        } catch {
            XCTFail("cannot write the test archive: \(error)")
            return []
        }
    }

    /// `bytes` compressed by the `gzip` program (for archives libarchive's writer does not make,
    /// such as a gzip layer over another).
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let folder = try TemporaryFolder()
        let path = try folder.write(bytes, to: "a.tar")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-n", path]
        try process.run()
        process.waitUntilExit()
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path + ".gz")))
    }

    static func entries(ofFolder folder: URL, prefix: String = "") throws -> [TestEntry] {
        try TestArchiveBuilder.entries(ofFolder: folder, prefix: prefix)
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
