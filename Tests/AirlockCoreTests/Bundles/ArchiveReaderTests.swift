import Crypto
import Foundation
import XCTest
@testable import AirlockCore

final class ArchiveReaderTests: XCTestCase {
    private let sample: [TestEntry] = [
        .directory("pkg"),
        .file("pkg/package.yaml", "name: demo\nversion: 1.0.0\n"),
        .file("./pkg//docs/./guide.md", "# Guide\n\nHow to.\n"),
        .symlink("pkg/latest", to: "package.yaml"),
    ]

    private func hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private func listing(_ bytes: [UInt8], limits: BundleLimits = BundleLimits(), plan: (ArchiveEntry) -> EntryReadPlan = { _ in .digestOnly }) -> ArchiveListing {
        ArchiveListing.read(ArchiveReader(bytes: bytes, name: "test.tar", limits: limits), plan: plan)
    }

    func testReadsPlainGzipAndZstdTarsAlike() throws {
        for compression in [TestArchiveWriter.Compression.none, .gzip, .zstd] {
            let result = listing(TestArchiveWriter.tar(sample, compression: compression))
            XCTAssertEqual(result.diagnostics, [], "\(compression)")
            XCTAssertEqual(result.entries.map(\.path), ["pkg", "pkg/package.yaml", "pkg/docs/guide.md", "pkg/latest"])
            XCTAssertEqual(result.entries.map(\.type), [.directory, .file, .file, .symlink])
            XCTAssertEqual(result.entries[1].sha256, hex("name: demo\nversion: 1.0.0\n"))
            XCTAssertEqual(result.entries[1].size, 26)
            XCTAssertEqual(result.entries[2].rawPath, "./pkg//docs/./guide.md")
            XCTAssertEqual(result.entries[3].linkTarget, "package.yaml")
            XCTAssertEqual(result.entries[1].mode, 0o644)
        }
    }

    func testArchiveFileDigestIsComputedInTheSamePass() throws {
        let folder = try TemporaryFolder()
        let bytes = TestArchiveWriter.tar(sample, compression: .gzip)
        let path = try folder.write(bytes, to: "b.tar.gz")
        let summary = try ArchiveReader(path: path).read { _ in }
        XCTAssertEqual(summary.sourceSHA256, SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined())
        XCTAssertEqual(summary.compressedBytes, Int64(bytes.count))
        XCTAssertEqual(summary.filterNames, ["gzip"])
        XCTAssertEqual(summary.entryCount, 4)
    }

    func testCapturesPrefixOrWholeContent() throws {
        let result = listing(TestArchiveWriter.tar(sample)) { entry in
            entry.path.hasSuffix(".md") ? .prefix(3) : entry.path.hasSuffix(".yaml") ? .whole : .digestOnly
        }
        XCTAssertEqual(result.entries[1].content.map { String(decoding: $0, as: UTF8.self) }, "name: demo\nversion: 1.0.0\n")
        XCTAssertFalse(result.entries[1].contentIsTruncated)
        XCTAssertEqual(result.entries[2].content, Array("# G".utf8))
        XCTAssertTrue(result.entries[2].contentIsTruncated)
        XCTAssertEqual(result.entries[2].sha256, hex("# Guide\n\nHow to.\n"), "the digest covers the whole file")
    }

    func testWholeCaptureOverTheInMemoryLimitIsAnError() {
        var limits = BundleLimits()
        limits.maxInMemoryFileBytes = 10
        let result = listing(TestArchiveWriter.tar(sample), limits: limits) { $0.path.hasSuffix(".yaml") ? .whole : .digestOnly }
        XCTAssertEqual(result.diagnostics.count, 1)
        XCTAssertTrue(result.diagnostics[0].message.contains("--max-bundle-file-bytes"), result.diagnostics[0].message)
        XCTAssertEqual(result.readIssues.map(\.kind), [.limitExceeded])
        XCTAssertEqual(result.readIssues.first?.path, "test.tar!pkg/package.yaml")
    }

    /// A directory entry that carries data leaves libarchive unable to go on (its data is read as
    /// a header, whose checksum is wrong); the error names the entry before and libarchive's
    /// reason rather than libarchive's internal state.
    func testADirectoryCarryingDataIsAnErrorNamingIt() {
        let tar = RawTarWriter.file("a.txt", "a") + RawTarWriter.entry("docs/dd/", type: "5", data: Array(repeating: UInt8(ascii: "x"), count: 600))
            + RawTarWriter.file("b.txt", "b") + RawTarWriter.end
        let result = listing(tar)
        XCTAssertFalse(result.isComplete)
        XCTAssertEqual(result.diagnostics.map(\.message), ["cannot read archive: corrupt header after the entry docs/dd: Damaged tar archive"])
    }

    /// A header whose checksum is wrong (libarchive's ARCHIVE_RETRY) is that error, at the entry
    /// before it: it was taken for a header, and the error was libarchive's internal state
    /// ("archive_read_data_skip invoked ... in state 'header'") blamed on a directory.
    func testAHeaderWithAWrongChecksumIsAnErrorNamingTheEntryBefore() {
        var broken = RawTarWriter.file("b.txt", "b")
        broken[148..<156] = [0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0x30, 0]
        let tar = RawTarWriter.entry("docs/", type: "5", data: []) + RawTarWriter.file("docs/a.txt", "a") + broken + RawTarWriter.end
        let result = listing(tar)
        XCTAssertFalse(result.isComplete)
        XCTAssertEqual(result.diagnostics.map(\.message), ["cannot read archive: corrupt header after the entry docs/a.txt: Damaged tar archive"])
    }

    /// A file that holds no tar header at all (a manifest given for a bundle, a gzip of text)
    /// is said to be no tar archive, not libarchive's "Unrecognized archive format".
    func testAFileThatIsNoTarArchiveSaysSo() throws {
        for bytes in [Array("{\"kind\": \"Pod\"}\n".utf8), try TestArchiveWriter.gzip(Array("hello\n".utf8))] {
            let result = listing(bytes)
            XCTAssertFalse(result.isComplete)
            XCTAssertEqual(result.diagnostics.map(\.message).map { $0.prefix(44) }, ["cannot read archive: it is not a tar archive"])
        }
    }

    func testEntryLimit() {
        var limits = BundleLimits()
        limits.maxEntries = 3
        let result = listing(TestArchiveWriter.tar(sample), limits: limits)
        XCTAssertFalse(result.isComplete)
        XCTAssertEqual(result.readIssues.map(\.kind), [.limitExceeded])
        XCTAssertTrue(result.diagnostics[0].message.contains("max-bundle-entries"))
        XCTAssertTrue(result.diagnostics[0].message.contains("--max-bundle-entries"))
        XCTAssertEqual(result.diagnostics[0].location?.file, "test.tar")
    }

    func testTotalSizeLimit() {
        var limits = BundleLimits()
        limits.maxTotalBytes = 30
        let result = listing(TestArchiveWriter.tar(sample), limits: limits)
        XCTAssertEqual(result.readIssues.count, 1)
        XCTAssertTrue(result.diagnostics[0].message.contains("--max-bundle-bytes"), result.diagnostics[0].message)
    }

    func testCompressionRatioLimit() {
        let zeros = [UInt8](repeating: 0, count: 4 << 20)
        let bomb = TestArchiveWriter.tar([.file("zeros.bin", bytes: zeros)], compression: .gzip)
        var limits = BundleLimits()
        limits.ratioGraceBytes = 1 << 20
        limits.maxCompressionRatio = 50
        let result = listing(bomb, limits: limits)
        XCTAssertEqual(result.readIssues.map(\.kind), [.limitExceeded])
        XCTAssertTrue(result.diagnostics[0].message.contains("--max-compression-ratio"), result.diagnostics[0].message)
        XCTAssertTrue(listing(bomb).isComplete, "the default limits accept it")
    }

    func testCorruptArchiveIsADiagnosticNamingTheArchive() {
        var bytes = TestArchiveWriter.tar(sample, compression: .gzip)
        bytes.removeLast(bytes.count / 2)
        let result = listing(bytes)
        XCTAssertFalse(result.isComplete)
        XCTAssertEqual(result.diagnostics.first?.location?.file, "test.tar")

        let notAnArchive = listing(Array("just some text, not a tar".utf8))
        XCTAssertFalse(notAnArchive.isComplete)
    }

    /// A gzip member whose trailer disagrees with its data is corrupt, as `gzip -t` and Helm find
    /// (libarchive alone reads the trailer without checking it).
    func testGzipTrailerIsChecked() {
        let sound = TestArchiveWriter.tar(sample, compression: .gzip)
        for (offset, field) in [(8, "CRC-32"), (4, "length")] {
            var corrupt = sound
            corrupt[corrupt.count - offset] ^= 0xFF
            let result = listing(corrupt)
            XCTAssertFalse(result.isComplete, field)
            XCTAssertEqual(
                result.diagnostics.map(\.message),
                ["cannot read archive: the \(field) in the trailer of gzip member 1 does not match its data: the file is corrupt"])
        }
        let secondCorrupt = sound + sound.enumerated().map { $0.offset == sound.count - 8 ? $0.element ^ 0xFF : $0.element }
        XCTAssertEqual(listing(secondCorrupt).diagnostics.map(\.message), ["cannot read archive: the CRC-32 in the trailer of gzip member 2 does not match its data: the file is corrupt"])
        XCTAssertEqual(listing(Array(sound.dropLast(3))).diagnostics.map(\.message), ["cannot read archive: the gzip stream ends inside member 1, before its trailer (the file is truncated)"])
    }

    /// A gzip layer under another one is not inflated without its trailer checked: tar reads one
    /// layer, and so does airlock. Bytes after a nested archive's gzip stream, which Go's reader
    /// (Helm, docker load) refuses, make that archive unreadable.
    func testGzipIsReadAsOneLayerAndNestedTrailingBytesAreAnError() throws {
        let twice = listing(try TestArchiveWriter.gzip(TestArchiveWriter.tar(sample, compression: .gzip)))
        XCTAssertFalse(twice.isComplete)

        let inner = TestArchiveWriter.tar([.file("c/Chart.yaml", "name: c\n")], compression: .gzip)
        for (tail, error) in [([UInt8](), nil), (Array("junk".utf8), "bytes follow the end of the gzip stream, which Helm and docker load refuse (gzip: invalid header)")] {
            let outer = TestArchiveWriter.tar([.file("charts/c.tgz", bytes: inner + tail)])
            var innerError: String?
            let result = listing(outer) { entry in
                entry.path == "charts/c.tgz" ? .nested { reader in
                    do { try reader.read { _ in } } catch { innerError = "\(error)" }
                } : .digestOnly
            }
            XCTAssertTrue(result.isComplete)
            XCTAssertEqual(innerError, error.map { "cannot read archive: \($0)" })
        }
    }

    /// What follows an archive's end is not hidden: an appended archive (as a second tar or a
    /// second gzip member) is read like the rest, and bytes after the last compressed stream are
    /// an issue.
    func testDataAfterTheEndOfTheArchiveIsReadOrReported() {
        let hidden: [TestEntry] = [.file("b/../../etc/evil", "x")]
        for compression in [TestArchiveWriter.Compression.none, .gzip] {
            let appended = listing(TestArchiveWriter.tar(sample, compression: compression) + TestArchiveWriter.tar(hidden, compression: compression))
            XCTAssertTrue(appended.isComplete, "\(compression)")
            XCTAssertEqual(appended.entries.last?.path, "b/../../etc/evil", "\(compression)")
            XCTAssertEqual(appended.readIssues, [], "\(compression)")
        }
        let garbage = listing(TestArchiveWriter.tar(sample, compression: .gzip) + Array("GARBAGE".utf8))
        XCTAssertTrue(garbage.isComplete)
        XCTAssertEqual(garbage.entries.count, sample.count)
        XCTAssertEqual(garbage.readIssues, [BundleIssue(kind: .trailingData, path: "test.tar", detail: "7 bytes after the end of the archive, which unpackers ignore or read differently")])
        XCTAssertEqual(listing(TestArchiveWriter.tar(sample, compression: .gzip)).readIssues, [])
    }

    /// A folder entry whose name is not UTF-8 is an error naming its bytes, not a failed lstat of
    /// the name it decodes to.
    func testFolderEntryWithANameThatIsNotUTF8IsAnError() throws {
        let folder = try TemporaryFolder()
        let path = Array(folder.url.path.utf8) + Array("/bad-".utf8) + [0xFF, 0]
        let descriptor = path.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) } }
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        close(descriptor)
        let result = ArchiveListing.read(ArchiveReader(path: folder.url.path))
        XCTAssertEqual(result.diagnostics.map(\.message), ["cannot read archive: the file name \"bad-\\xFF\" is not UTF-8"])
    }

    func testMissingFileIsADiagnostic() {
        let result = ArchiveListing.read(ArchiveReader(path: "/nonexistent/bundle.tar.gz"))
        XCTAssertEqual(result.diagnostics.count, 1)
        XCTAssertEqual(result.diagnostics.first?.location?.file, "/nonexistent/bundle.tar.gz")
    }

    func testFolderReadsLikeAnArchiveAndNeverFollowsLinks() throws {
        let folder = try TemporaryFolder()
        let root = folder.url.appendingPathComponent("pkg")
        try TestArchiveWriter.writeFolder([
            .file("package.yaml", "name: demo\n"), .file("docs/a.md", "# A\n"),
            .symlink("passwd", to: "/etc/passwd"), .symlink("docs/up", to: "../../outside"),
        ], to: root)
        let result = ArchiveListing.read(ArchiveReader(path: root.path))
        XCTAssertEqual(result.diagnostics, [])
        XCTAssertEqual(result.entries.map(\.path), ["docs", "docs/a.md", "docs/up", "package.yaml", "passwd"])
        XCTAssertEqual(result.entries[4].type, .symlink)
        XCTAssertEqual(result.entries[4].linkTarget, "/etc/passwd")
        XCTAssertNil(result.entries[4].sha256)
        XCTAssertEqual(result.entries[3].sha256, hex("name: demo\n"))
        XCTAssertEqual(HostileEntryCheck.issues(in: result.entries).map(\.kind), [.linkOutsideRoot, .linkOutsideRoot])
    }

    func testNestedArchiveIsReadFromTheStreamAndStillHashed() throws {
        let inner = TestArchiveWriter.tar([.file("manifest.json", "[]"), .file("layer.tar", "layer")], compression: .gzip)
        let outer = TestArchiveWriter.tar([.file("images/app.tar.gz", bytes: inner)], compression: .gzip)
        var innerPaths: [String] = []
        var innerName = ""
        let result = listing(outer) { entry in
            .nested { reader in
                innerName = reader.name
                try reader.read(plan: { _ in .whole }) { innerPaths.append($0.path) }
            }
        }
        XCTAssertEqual(result.diagnostics, [])
        XCTAssertEqual(innerPaths, ["manifest.json", "layer.tar"])
        XCTAssertEqual(innerName, "test.tar!images/app.tar.gz")
        XCTAssertEqual(result.entries[0].sha256, SHA256.hash(data: inner).map { String(format: "%02x", $0) }.joined())
    }

    func testSupportsZstd() {
        XCTAssertTrue(LibarchiveSession.supportedFilters.contains("zstd"))
        XCTAssertTrue(LibarchiveSession.supportedFilters.contains("gzip"))
    }
}

final class ArchiveReaderEdgeTests: XCTestCase {
    func testFolderLimitsApplyToo() throws {
        let folder = try TemporaryFolder()
        try TestArchiveWriter.writeFolder((0..<10).map { .file("f\($0)", "0123456789") }, to: folder.url)
        var limits = BundleLimits()
        limits.maxEntries = 5
        XCTAssertEqual(ArchiveListing.read(ArchiveReader(path: folder.url.path, limits: limits)).readIssues.map(\.kind), [.limitExceeded])
        limits = BundleLimits()
        limits.maxTotalBytes = 50
        let bySize = ArchiveListing.read(ArchiveReader(path: folder.url.path, limits: limits))
        XCTAssertTrue(bySize.diagnostics.first?.message.contains("--max-bundle-bytes") == true)
    }

    func testHardlinkEntriesKeepTheirTargetAndCarryNoDigest() {
        let bytes = TestArchiveWriter.tar([.file("a/x", "data"), .hardlink("a/y", to: "a/x")])
        let listing = ArchiveListing.read(ArchiveReader(bytes: bytes, name: "h.tar"))
        XCTAssertEqual(listing.entries.map(\.type), [.file, .hardlink])
        XCTAssertEqual(listing.entries[1].linkTarget, "a/x")
        XCTAssertNil(listing.entries[1].sha256)
    }

    /// A sparse entry hashes as the file `tar -x` writes: its holes, the trailing one included,
    /// are zeros up to the declared size.
    func testSparseEntryDigestCoversEveryHoleUpToItsSize() {
        let data = [UInt8](repeating: 1, count: 4096)
        let size: Int64 = 1 << 20
        let cases: [(String, [(offset: Int64, bytes: [UInt8])], [UInt8])] = [
            ("trailing hole", [(0, data)], data + [UInt8](repeating: 0, count: Int(size) - data.count)),
            ("holes around", [(8192, data)], [UInt8](repeating: 0, count: 8192) + data + [UInt8](repeating: 0, count: Int(size) - 8192 - data.count)),
            ("only a hole", [], [UInt8](repeating: 0, count: Int(size))),
        ]
        for (name, blocks, extracted) in cases {
            let bytes = RawTarWriter.sparse("m/weights", size: size, blocks: blocks) + RawTarWriter.end
            let result = ArchiveListing.read(ArchiveReader(bytes: bytes, name: "sparse.tar"))
            XCTAssertEqual(result.diagnostics, [], name)
            XCTAssertEqual(result.entries.map(\.path), ["m/weights"], name)
            XCTAssertEqual(result.entries.first?.size, size, name)
            XCTAssertEqual(result.entries.first?.sha256, SHA256.hash(data: extracted).map { String(format: "%02x", $0) }.joined(), name)
        }
    }

    /// Hole zeros are read and hashed like data, so they count toward the compression ratio: a
    /// tarball of a few KB declaring gigabytes of holes stops after the grace bytes.
    func testSparseHolesCountTowardTheCompressionRatio() {
        let bytes = RawTarWriter.sparse("m/weights", size: 256 << 20, blocks: [(256 << 20 - 1, [1])]) + RawTarWriter.end
        let result = ArchiveListing.read(ArchiveReader(bytes: bytes, name: "sparse.tar"))
        XCTAssertEqual(result.readIssues.map(\.kind), [.limitExceeded])
        XCTAssertTrue(result.diagnostics.first?.message.contains("--max-compression-ratio") == true, "\(result.diagnostics)")
    }

    func testEmptyFilesAndEmptyArchives() {
        let listing = ArchiveListing.read(ArchiveReader(bytes: TestArchiveWriter.tar([.file("empty", "")]), name: "e.tar"))
        XCTAssertEqual(listing.entries.first?.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertTrue(ArchiveListing.read(ArchiveReader(bytes: [], name: "empty.tar")).isComplete, "an empty input is an empty archive")
    }

    func testDeclaredSizeOverTheLimitStopsBeforeReading() {
        var limits = BundleLimits()
        limits.maxTotalBytes = 1000
        let bytes = TestArchiveWriter.tar([.file("big", bytes: [UInt8](repeating: 7, count: 5000))])
        var visited = 0
        let listing = ArchiveListing.read(ArchiveReader(bytes: bytes, name: "big.tar", limits: limits)) { _ in
            visited += 1
            return .digestOnly
        }
        XCTAssertEqual(visited, 0, "the header's size is charged before the plan runs")
        XCTAssertEqual(listing.readIssues.map(\.kind), [.limitExceeded])
    }
}
